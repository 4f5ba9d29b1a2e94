namespace Ferry.Core.Jobs;

/// <summary>Queue names and the retry policy, with the Functions host's defaults.</summary>
public sealed record JobQueueOptions
{
    /// <summary>The jobs queue.</summary>
    public string QueueName { get; init; } = "ferry-jobs";

    /// <summary>Where messages go after <see cref="MaxDequeueCount"/> attempts; the host's convention is <c>&lt;queue&gt;-poison</c>.</summary>
    public string PoisonQueueName { get; init; } = "ferry-jobs-poison";

    /// <summary>Attempts before a message is poisoned (the host's <c>maxDequeueCount</c>).</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>The first wait between polls of an empty storage queue; it doubles up to <see cref="MaxPollingInterval"/>.</summary>
    public TimeSpan MinPollingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between polls of an empty storage queue.</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromSeconds(2);
}
