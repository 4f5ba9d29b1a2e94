namespace Ferry.Core.Apps;

/// <summary>syncPolicy.retry: how often and how patiently a failed sync is retried.</summary>
public sealed record RetryStrategy
{
    /// <summary>Retries after the first attempt; negative means without limit; 5 when unset.</summary>
    public int Limit { get; init; } = 5;

    /// <summary>The backoff between attempts.</summary>
    public RetryBackoff Backoff { get; init; } = new();
}
