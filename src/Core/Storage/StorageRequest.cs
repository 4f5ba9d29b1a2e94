namespace Ferry.Core.Storage;

/// <summary>One REST call as the signer sees it: the exact headers and body that go on the wire.</summary>
internal sealed class StorageRequest(HttpMethod method, Uri uri)
{
    public HttpMethod Method { get; } = method;

    public Uri Uri { get; } = uri;

    /// <summary>Request headers other than Content-Type/Content-Length, as sent (names case-insensitive).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[]? Content { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Method and path for messages; the query is left out because it can carry a popReceipt.</summary>
    public string Subject => $"{Method.Method} {Uri.AbsolutePath}";

    public StorageRequest WithHeader(string name, string? value)
    {
        if (value is not null)
        {
            Headers[name] = value;
        }

        return this;
    }

    /// <summary>A fresh message for one attempt (a sent HttpRequestMessage cannot be sent again).</summary>
    public HttpRequestMessage ToHttpRequestMessage()
    {
        var message = new HttpRequestMessage(Method, Uri);
        var needsBody = Content is not null || Method == HttpMethod.Put || Method == HttpMethod.Post;
        if (needsBody)
        {
            message.Content = new ByteArrayContent(Content ?? []);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }
}
