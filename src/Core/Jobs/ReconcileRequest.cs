namespace Ferry.Core.Jobs;

/// <summary>What to do for one app: sync it (apply), or refresh it (compare, then sync only where its policy says so).</summary>
public sealed record ReconcileRequest
{
    /// <summary>The app's name.</summary>
    public required string App { get; init; }

    /// <summary>Sync applies (manual sync, a webhook for an automated app); Refresh compares and self-heals per policy.</summary>
    public ReconcileMode Mode { get; init; } = ReconcileMode.Refresh;

    /// <summary>A revision to deploy instead of resolving <c>targetRevision</c> (a rollback); only an explicit order sets it.</summary>
    public string? Revision { get; init; }

    /// <summary>The commit a job named (a webhook's push): a hint only; the worker deploys what <c>targetRevision</c> resolves to, so a late or redelivered push never rolls back.</summary>
    public string? RevisionHint { get; init; }

    /// <summary>Why: webhook, drift, manual, rollback.</summary>
    public string Reason { get; init; } = "manual";

    /// <summary>Compare and dry-run only; nothing applied or recorded as a sync.</summary>
    public bool DryRun { get; init; }

    /// <summary>Prune regardless of the app's policy (<c>ferry sync --prune</c>); null follows the policy.</summary>
    public bool? Prune { get; init; }

    /// <summary>The webhook delivery id that caused this, for correlation.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>Wait for another holder's lease instead of skipping.</summary>
    public bool WaitForLease { get; init; }

    /// <summary>The drift sweep this comparison is part of: revisions and live state come from its shared reads, and an app that needs a sync is handed to its own job.</summary>
    public SweepScope? Sweep { get; init; }

    /// <summary>Receives one line per step while the reconcile runs (resolve, fetch, render, compare, each phase and wave, "waiting for X/Y"), for a progress display.</summary>
    public IProgress<string>? Progress { get; init; }
}
