using System.Text;
using System.Text.Json;

namespace Ferry.Functions.Hosting;

/// <summary>One queue-triggered invocation: the message text and the queue's metadata about it.</summary>
public sealed record QueueInvocation
{
    /// <summary>The message text as the host decoded it (Ferry's job message JSON).</summary>
    public required string MessageText { get; init; }

    /// <summary>The queue message id.</summary>
    public string? Id { get; init; }

    /// <summary>How many times the message has been dequeued, this time included.</summary>
    public long DequeueCount { get; init; }

    /// <summary>When the message was put on the queue.</summary>
    public DateTimeOffset? InsertionTime { get; init; }

    /// <summary>When the message expires.</summary>
    public DateTimeOffset? ExpirationTime { get; init; }

    /// <summary>When the message becomes visible again if this invocation does not finish.</summary>
    public DateTimeOffset? NextVisibleTime { get; init; }

    /// <summary>The host's <c>sys</c> block.</summary>
    public InvocationSystemData? Sys { get; init; }

    /// <summary>Reads the message bound as <paramref name="bindingName"/> and the queue metadata from a host request.</summary>
    public static QueueInvocation FromRequest(InvocationRequest request, string bindingName)
    {
        if (!request.TryGetData(bindingName, out var data))
        {
            throw new InvocationFormatException($"the invocation has no Data.{bindingName} (the queue message)");
        }

        return new QueueInvocation
        {
            MessageText = MessageTextOf(data, bindingName),
            Id = request.TryGetMetadata("Id", out var id) ? JsonValues.AsString(id) : null,
            DequeueCount = request.TryGetMetadata("DequeueCount", out var count) ? JsonValues.AsInt64(count) ?? 0 : 0,
            InsertionTime = request.TryGetMetadata("InsertionTime", out var inserted) ? JsonValues.AsDateTimeOffset(inserted) : null,
            ExpirationTime = request.TryGetMetadata("ExpirationTime", out var expires) ? JsonValues.AsDateTimeOffset(expires) : null,
            NextVisibleTime = request.TryGetMetadata("NextVisibleTime", out var visible) ? JsonValues.AsDateTimeOffset(visible) : null,
            Sys = InvocationSystemData.FromRequest(request),
        };
    }

    private static string MessageTextOf(JsonElement data, string bindingName)
    {
        switch (data.ValueKind)
        {
            case JsonValueKind.String:
                var text = data.GetString() ?? string.Empty;
                // The host base64-decodes messages (messageEncoding "base64", the default) and passes the text.
                // A host configured with messageEncoding "none" would hand over Ferry's base64 as is: decode it
                // only when that yields a JSON document, so plain text is never mangled.
                return LooksLikeJson(text) ? text : TryDecodeBase64Json(text) ?? text;
            case JsonValueKind.Object:
            case JsonValueKind.Array:
                // Some host versions hand JSON message bodies over already parsed.
                return data.GetRawText();
            default:
                throw new InvocationFormatException($"Data.{bindingName} is {data.ValueKind}, not the queue message text");
        }
    }

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '{' or '[';
    }

    private static string? TryDecodeBase64Json(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written))
        {
            return null;
        }

        try
        {
            var decoded = new UTF8Encoding(false, true).GetString(buffer, 0, written);
            if (!LooksLikeJson(decoded))
            {
                return null;
            }

            using var _ = JsonDocument.Parse(decoded);
            return decoded;
        }
        catch (Exception e) when (e is DecoderFallbackException or JsonException)
        {
            return null;
        }
    }
}
