using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>How a reconcile ended and what to do about the job: done, retry later, or give up.</summary>
public sealed record ReconcileOutcome
{
    /// <summary>The recorded status (null when the app is unknown or the lease was busy).</summary>
    public AppStatus? Status { get; init; }

    /// <summary>True when the job is finished (success, or a failure retrying cannot fix).</summary>
    public bool Completed { get; init; } = true;

    /// <summary>When set, run the job again after this delay (transient failure, busy lease, sync retry policy).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A one-line summary for logs.</summary>
    public required string Summary { get; init; }

    /// <summary>Whether the app was applied to (a sync ran and changed or confirmed objects).</summary>
    public bool Synced { get; init; }

    /// <summary>What this run did per object: the recorded operation after a sync, the unrecorded dry run of a comparison.</summary>
    public OperationState? Operation { get; init; }

    /// <summary>In a sweep: the app needs its own job (a sync its policy asks for, or a failure to retry); the sweep enqueues it.</summary>
    public bool HandOff { get; init; }

    /// <summary>In a sweep: nothing changed since the last comparison; nothing was compared or written.</summary>
    public bool Unchanged { get; init; }

    /// <summary>The commit this run resolved the app's target to, when it hands the app off (the hand-off job's revision hint).</summary>
    public string? Revision { get; init; }
}
