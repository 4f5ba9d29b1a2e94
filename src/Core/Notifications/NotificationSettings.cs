namespace Ferry.Core.Notifications;

/// <summary>What Ferry notifies and how patiently: webhook targets, an optional GitHub commit status, and retries.</summary>
public sealed record NotificationSettings
{
    /// <summary>The webhook targets.</summary>
    public IReadOnlyList<WebhookTarget> Webhooks { get; init; } = [];

    /// <summary>GitHub commit statuses; null when no token is configured.</summary>
    public GitHubStatusSettings? GitHub { get; init; }

    /// <summary>Attempts per delivery (the first included); retried on connection errors, 429 and 5xx.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry delay, doubled per attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time allowed for one HTTP request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether anything is configured at all.</summary>
    public bool IsEmpty => Webhooks.Count == 0 && GitHub is null;
}
