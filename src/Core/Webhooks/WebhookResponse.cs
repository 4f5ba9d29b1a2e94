namespace Ferry.Core.Webhooks;

/// <summary>What to answer GitHub: an HTTP status, a short message, and the apps queued.</summary>
public sealed record WebhookResponse(int StatusCode, string Message, IReadOnlyList<string> Queued)
{
    /// <summary>The event name, for telemetry.</summary>
    public string? Event { get; init; }

    /// <summary>Apps the push did not concern, with the reason, for logs.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
}
