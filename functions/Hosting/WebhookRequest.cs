namespace Ferry.Functions.Hosting;

/// <summary>A webhook delivery as received: headers (case-insensitive names) and the body bytes exactly as sent.</summary>
public sealed record WebhookRequest
{
    /// <summary>The request headers; names compare case-insensitively, repeated headers are joined with a comma.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The raw body, byte-exact, for the HMAC check.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The <c>X-GitHub-Event</c> header, when present.</summary>
    public string? Event => Headers.GetValueOrDefault("X-GitHub-Event");

    /// <summary>The <c>X-GitHub-Delivery</c> header, when present.</summary>
    public string? DeliveryId => Headers.GetValueOrDefault("X-GitHub-Delivery");

    /// <summary>The <c>X-Hub-Signature-256</c> header, when present.</summary>
    public string? Signature256 => Headers.GetValueOrDefault("X-Hub-Signature-256");
}
