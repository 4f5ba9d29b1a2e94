using System.Globalization;

namespace Ferry.Core.Jobs;

/// <summary>The jobs queue inside one process, with the Functions host's semantics (visibility timeouts on <see cref="TimeProvider"/>, dequeue counts, poison list); thread-safe.</summary>
public sealed class InMemoryJobQueue : IJobQueue
{
    private readonly object gate = new();
    private readonly List<Entry> entries = [];
    private readonly List<PoisonedJob> poisoned = [];
    private readonly TimeProvider timeProvider;
    private TaskCompletionSource changed = NewSignal();
    private long nextId;

    /// <summary>Creates an empty queue.</summary>
    public InMemoryJobQueue(JobQueueOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new JobQueueOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxDequeueCount, 1);
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The queue's options.</summary>
    public JobQueueOptions Options { get; }

    /// <inheritdoc />
    public int MaxDequeueCount => Options.MaxDequeueCount;

    /// <summary>How many messages are on the queue, visible or not.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<string> EnqueueAsync(JobMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var text = message.ToJson();
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var id = (++nextId).ToString(CultureInfo.InvariantCulture);
            entries.Add(new Entry(id, text, now) { VisibleAt = now });
            Signal();
            return Task.FromResult(id);
        }
    }

    /// <inheritdoc />
    public Task<QueuedJob?> TryReceiveAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(ReceiveLocked(visibilityTimeout));
        }
    }

    /// <inheritdoc />
    public async Task<QueuedJob> WaitForMessageAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wake;
            TimeSpan? untilNextVisible;
            lock (gate)
            {
                if (ReceiveLocked(visibilityTimeout) is { } job)
                {
                    return job;
                }

                wake = changed.Task;
                var now = timeProvider.GetUtcNow();
                untilNextVisible = entries.Count == 0 ? null : entries.Min(e => e.VisibleAt) - now;
            }

            if (untilNextVisible is not { } delay)
            {
                await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Wake on whichever comes first: a change to the queue, or the earliest hidden message becoming visible.
            using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, timeProvider, stopDelay.Token);
            await Task.WhenAny(wake, timer).ConfigureAwait(false);
            await stopDelay.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var entry = FindLocked(job);
            if (entry is null)
            {
                return Task.FromResult(false);
            }

            entries.Remove(entry);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<AbandonOutcome> AbandonAsync(QueuedJob job, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var entry = FindLocked(job);
            if (entry is null)
            {
                return Task.FromResult(AbandonOutcome.Lost);
            }

            if (entry.DequeueCount >= MaxDequeueCount)
            {
                PoisonLocked(entry);
                return Task.FromResult(AbandonOutcome.Poisoned);
            }

            entry.VisibleAt = timeProvider.GetUtcNow() + (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.Zero);
            entry.Receipt = null;
            Signal();
            return Task.FromResult(AbandonOutcome.RetryScheduled);
        }
    }

    /// <inheritdoc />
    public Task<QueuedJob?> RenewAsync(QueuedJob job, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var entry = FindLocked(job);
            if (entry is null)
            {
                return Task.FromResult<QueuedJob?>(null);
            }

            entry.VisibleAt = timeProvider.GetUtcNow() + visibilityTimeout;
            entry.Receipt = Guid.NewGuid().ToString("N");
            Signal();
            return Task.FromResult<QueuedJob?>(job with { Receipt = entry.Receipt });
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PoisonedJob>> PeekPoisonedAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult<IReadOnlyList<PoisonedJob>>(poisoned.Take(maxCount).ToArray());
        }
    }

    private QueuedJob? ReceiveLocked(TimeSpan visibilityTimeout)
    {
        var now = timeProvider.GetUtcNow();
        while (entries.FirstOrDefault(e => e.VisibleAt <= now) is { } entry)
        {
            entry.DequeueCount++;

            // Like the host: a message that keeps coming back without being abandoned (a crashed worker) is poisoned on delivery.
            if (entry.DequeueCount > MaxDequeueCount)
            {
                PoisonLocked(entry);
                continue;
            }

            JobMessage message;
            try
            {
                message = JobMessage.Parse(entry.Text);
            }
            catch (JobMessageException e)
            {
                PoisonLocked(entry, e.Message);
                continue;
            }

            entry.VisibleAt = now + visibilityTimeout;
            entry.Receipt = Guid.NewGuid().ToString("N");
            return new QueuedJob { Id = entry.Id, Receipt = entry.Receipt, DequeueCount = entry.DequeueCount, InsertedOn = entry.InsertedOn, Message = message };
        }

        return null;
    }

    private Entry? FindLocked(QueuedJob job) =>
        entries.FirstOrDefault(e => e.Id == job.Id && e.Receipt == job.Receipt);

    private void PoisonLocked(Entry entry, string? error = null)
    {
        entries.Remove(entry);
        JobMessage? message = null;
        if (error is null)
        {
            try
            {
                message = JobMessage.Parse(entry.Text);
            }
            catch (JobMessageException e)
            {
                error = e.Message;
            }
        }

        poisoned.Add(new PoisonedJob { Id = entry.Id, Text = entry.Text, Message = message, Error = error });
    }

    private void Signal()
    {
        var previous = changed;
        changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Entry(string id, string text, DateTimeOffset insertedOn)
    {
        public string Id { get; } = id;

        public string Text { get; } = text;

        public DateTimeOffset InsertedOn { get; } = insertedOn;

        public DateTimeOffset VisibleAt { get; set; }

        public long DequeueCount { get; set; }

        public string? Receipt { get; set; }
    }
}
