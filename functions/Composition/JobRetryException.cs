namespace Ferry.Functions.Composition;

/// <summary>A job that must run again later (busy lease, transient failure, sync retry policy).</summary>
internal sealed class JobRetryException(string summary, TimeSpan? retryAfter) : Exception($"retry later{(retryAfter is { } d ? $" (in {d.TotalSeconds:0}s)" : string.Empty)}: {summary}")
{
    /// <summary>When to retry, when the pipeline said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
