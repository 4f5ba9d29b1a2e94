namespace Ferry.Core.Jobs;

/// <summary>The jobs queue with the Functions host's semantics: at-least-once delivery, visibility timeouts, dequeue counts, a poison queue.</summary>
public interface IJobQueue
{
    /// <summary>Attempts allowed before a message is poisoned.</summary>
    int MaxDequeueCount { get; }

    /// <summary>Puts a job on the queue and returns its message id.</summary>
    Task<string> EnqueueAsync(JobMessage message, CancellationToken cancellationToken);

    /// <summary>Takes the next visible job, hiding it for <paramref name="visibilityTimeout"/>; null when none is visible now.</summary>
    /// <remarks>Messages delivered more than <see cref="MaxDequeueCount"/> times, or unreadable, go to the poison queue instead.</remarks>
    Task<QueuedJob?> TryReceiveAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Waits for the next visible job (without busy polling) and takes it as <see cref="TryReceiveAsync"/> does.</summary>
    Task<QueuedJob> WaitForMessageAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Deletes a processed job; false when this delivery was no longer ours.</summary>
    Task<bool> CompleteAsync(QueuedJob job, CancellationToken cancellationToken);

    /// <summary>Gives a job back after a failed attempt: visible again after <paramref name="retryAfter"/>, or poisoned when this was the last attempt.</summary>
    Task<AbandonOutcome> AbandonAsync(QueuedJob job, TimeSpan retryAfter, CancellationToken cancellationToken);

    /// <summary>Keeps a job hidden for another <paramref name="visibilityTimeout"/> while it runs; returns the delivery with its new receipt, null when it was lost.</summary>
    Task<QueuedJob?> RenewAsync(QueuedJob job, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxCount"/> poisoned messages, oldest first, without removing them.</summary>
    Task<IReadOnlyList<PoisonedJob>> PeekPoisonedAsync(int maxCount, CancellationToken cancellationToken);
}
