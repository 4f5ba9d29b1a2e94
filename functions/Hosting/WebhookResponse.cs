namespace Ferry.Functions.Hosting;

/// <summary>The answer to a webhook delivery: an HTTP status, a message for GitHub's delivery log, and the apps a job was queued for.</summary>
public sealed record WebhookResponse(int StatusCode, string Message)
{
    /// <summary>Apps a job was queued for, sorted by name.</summary>
    public IReadOnlyList<string> Apps { get; init; } = [];
}
