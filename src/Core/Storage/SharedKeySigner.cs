using System.Globalization;
using System.Text;

namespace Ferry.Core.Storage;

/// <summary>Builds the Shared Key string-to-sign for the blob and queue services (version 2015-02-21 and later).</summary>
internal static class SharedKeySigner
{
    private static readonly string[] StandardHeaders =
    [
        "Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date",
        "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range",
    ];

    /// <summary>The value of the Authorization header for a request.</summary>
    public static string Authorize(StorageRequest request, StorageSharedKeyCredential credential) =>
        $"SharedKey {credential.AccountName}:{credential.ComputeSignature(BuildStringToSign(request, credential.AccountName))}";

    public static string BuildStringToSign(StorageRequest request, string accountName)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method.Method).Append('\n');
        foreach (var header in StandardHeaders)
        {
            builder.Append(StandardHeaderValue(request, header)).Append('\n');
        }

        AppendCanonicalizedHeaders(builder, request);
        AppendCanonicalizedResource(builder, request.Uri, accountName);
        return builder.ToString();
    }

    private static string StandardHeaderValue(StorageRequest request, string header) => header switch
    {
        // Since 2015-02-21 a zero length is signed as the empty string.
        "Content-Length" => request.Content is { Length: > 0 } content ? content.Length.ToString(CultureInfo.InvariantCulture) : string.Empty,
        "Content-Type" => request.ContentType ?? string.Empty,
        _ => request.Headers.GetValueOrDefault(header) ?? string.Empty,
    };

    private static void AppendCanonicalizedHeaders(StringBuilder builder, StorageRequest request)
    {
        var headers = request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: FoldWhitespace(h.Value)))
            .OrderBy(h => h.Name, StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, Uri uri, string accountName)
    {
        // The path as sent (still percent-encoded); for path-style URLs it already starts with the account.
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);

        var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!parameters.TryGetValue(name, out var values))
            {
                parameters[name] = values = [];
            }

            values.Add(value);
        }

        foreach (var (name, values) in parameters)
        {
            values.Sort(StringComparer.Ordinal);
            builder.Append('\n').Append(name).Append(':').Append(string.Join(',', values));
        }
    }

    /// <summary>Header values are signed trimmed, with runs of whitespace folded to one space.</summary>
    private static string FoldWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var inWhitespace = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (!inWhitespace)
                {
                    builder.Append(' ');
                }

                inWhitespace = true;
            }
            else
            {
                builder.Append(c);
                inWhitespace = false;
            }
        }

        return builder.ToString();
    }
}
