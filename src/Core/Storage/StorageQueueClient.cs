using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Ferry.Core.Storage;

/// <summary>One Azure Storage queue over the REST API: create, put, get, peek, update, delete messages.</summary>
public sealed class StorageQueueClient
{
    /// <summary>The most messages one get or peek returns.</summary>
    public const int MaxMessagesPerCall = 32;

    private readonly StorageHttpPipeline pipeline;
    private readonly Uri endpoint;

    /// <summary>Creates a client for the named queue; the HttpClient is borrowed, not disposed.</summary>
    public StorageQueueClient(StorageConnection connection, string queueName, HttpClient httpClient, StorageClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        pipeline = new StorageHttpPipeline(connection, httpClient, options, timeProvider);
        endpoint = connection.QueueEndpoint;
        Name = queueName;
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>Creates the queue; false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Put, Uri(Name));
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.NoContent => false,
            HttpStatusCode.Conflict when response.ErrorCode == "QueueAlreadyExists" => false,
            _ => throw response.ToException(request),
        };
    }

    /// <summary>Deletes the queue; false when it did not exist.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Delete, Uri(Name));
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.NotFound ? false : response.EnsureSuccess(request) is not null;
    }

    /// <summary>Puts a message; it becomes visible after <paramref name="visibilityTimeout"/> (default now) and lives <paramref name="timeToLive"/> (default 7 days, <see cref="Timeout.InfiniteTimeSpan"/>: forever).</summary>
    public async Task<QueueMessageReceipt> SendMessageAsync(string text, TimeSpan? visibilityTimeout, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ttl = timeToLive is null ? null : timeToLive == Timeout.InfiniteTimeSpan ? "-1" : Seconds(timeToLive.Value);
        var request = new StorageRequest(HttpMethod.Post, Uri($"{Name}/messages", ("visibilitytimeout", visibilityTimeout is null ? null : Seconds(visibilityTimeout.Value)), ("messagettl", ttl)))
        {
            Content = MessageBody(text),
            ContentType = "application/xml",
        };
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        var message = SingleMessage(response.ReadXml(request), request);
        return new QueueMessageReceipt
        {
            MessageId = Required(message, "MessageId", request),
            PopReceipt = Required(message, "PopReceipt", request),
            NextVisibleOn = Date(Required(message, "TimeNextVisible", request)),
            InsertedOn = Date(Required(message, "InsertionTime", request)),
            ExpiresOn = Date(Required(message, "ExpirationTime", request)),
        };
    }

    /// <summary>Receives up to <paramref name="maxMessages"/> (1–32) visible messages and hides them for <paramref name="visibilityTimeout"/>.</summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerCall);
        var request = new StorageRequest(HttpMethod.Get, Uri($"{Name}/messages",
            ("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture)), ("visibilitytimeout", Seconds(visibilityTimeout))));
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        return ReadMessages(response.ReadXml(request), request);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> (1–32) visible messages without hiding them or counting a dequeue.</summary>
    public async Task<IReadOnlyList<QueueMessage>> PeekMessagesAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerCall);
        var request = new StorageRequest(HttpMethod.Get, Uri($"{Name}/messages",
            ("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture)), ("peekonly", "true")));
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        return ReadMessages(response.ReadXml(request), request);
    }

    /// <summary>Changes a received message's visibility and, when <paramref name="text"/> is given, its content; returns the new receipt.</summary>
    public async Task<QueueMessageReceipt> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, string? text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var request = new StorageRequest(HttpMethod.Put, Uri($"{Name}/messages/{messageId}", ("popreceipt", popReceipt), ("visibilitytimeout", Seconds(visibilityTimeout))))
        {
            Content = text is null ? null : MessageBody(text),
            ContentType = text is null ? null : "application/xml",
        };
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        return new QueueMessageReceipt
        {
            MessageId = messageId,
            PopReceipt = response.RequiredHeader(request, "x-ms-popreceipt"),
            NextVisibleOn = Date(response.RequiredHeader(request, "x-ms-time-next-visible")),
        };
    }

    /// <summary>Deletes a received message; false when it was already gone or the receipt is stale (another consumer received it since).</summary>
    public async Task<bool> DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var request = new StorageRequest(HttpMethod.Delete, Uri($"{Name}/messages/{messageId}", ("popreceipt", popReceipt)));
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var gone = response.Status == HttpStatusCode.NotFound
            || (response.Status == HttpStatusCode.BadRequest && response.ErrorCode == "PopReceiptMismatch");
        return !gone && response.EnsureSuccess(request) is not null;
    }

    /// <summary>Deletes every message in the queue.</summary>
    public async Task ClearMessagesAsync(CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Delete, Uri($"{Name}/messages"));
        (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
    }

    /// <summary>The service's approximate count of messages in the queue.</summary>
    public async Task<long> GetApproximateMessageCountAsync(CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Get, Uri(Name, ("comp", "metadata")));
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        return long.Parse(response.RequiredHeader(request, "x-ms-approximate-messages-count"), CultureInfo.InvariantCulture);
    }

    private Uri Uri(string path, params (string Name, string? Value)[] query) => StorageHttpPipeline.BuildUri(endpoint, path, query);

    private static byte[] MessageBody(string text) =>
        Encoding.UTF8.GetBytes(new XElement("QueueMessage", new XElement("MessageText", text)).ToString(SaveOptions.DisableFormatting));

    private static string Seconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static List<QueueMessage> ReadMessages(XDocument document, StorageRequest request)
    {
        var messages = new List<QueueMessage>();
        foreach (var element in document.Root?.Elements("QueueMessage") ?? [])
        {
            var nextVisible = element.Element("TimeNextVisible")?.Value;
            messages.Add(new QueueMessage
            {
                MessageId = Required(element, "MessageId", request),
                PopReceipt = element.Element("PopReceipt")?.Value,
                DequeueCount = long.Parse(Required(element, "DequeueCount", request), CultureInfo.InvariantCulture),
                InsertedOn = Date(Required(element, "InsertionTime", request)),
                ExpiresOn = Date(Required(element, "ExpirationTime", request)),
                NextVisibleOn = nextVisible is null ? null : Date(nextVisible),
                Text = element.Element("MessageText")?.Value ?? string.Empty,
            });
        }

        return messages;
    }

    private static XElement SingleMessage(XDocument document, StorageRequest request) =>
        document.Root?.Element("QueueMessage") ?? throw new StorageException(request.Subject, 0, null, "the response has no QueueMessage");

    private static string Required(XElement element, string name, StorageRequest request) =>
        element.Element(name)?.Value ?? throw new StorageException(request.Subject, 0, null, $"the response has no {name}");

    private static DateTimeOffset Date(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
