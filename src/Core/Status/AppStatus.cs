using Ferry.Core.Health;
using Ferry.Core.Inventory;

namespace Ferry.Core.Status;

/// <summary>Everything Ferry records about one app, shaped like an Argo CD Application's status.</summary>
public sealed record AppStatus
{
    /// <summary>The app's name.</summary>
    public required string Name { get; init; }

    /// <summary>Synced, OutOfSync or Unknown.</summary>
    public SyncStatusCode SyncStatus { get; init; }

    /// <summary>The revision live state was last compared with.</summary>
    public string? Revision { get; init; }

    /// <summary>A multi-source app's revision of each source, in spec.sources order (Argo's status.sync.revisions); empty otherwise.</summary>
    public IReadOnlyList<string> Revisions { get; init; } = [];

    /// <summary>The app's aggregate health.</summary>
    public HealthStatusCode Health { get; init; } = HealthStatusCode.Unknown;

    /// <summary>Why the app has that health.</summary>
    public string? HealthMessage { get; init; }

    /// <summary>The last operation.</summary>
    public OperationState? Operation { get; init; }

    /// <summary>Conditions (errors and warnings).</summary>
    public IReadOnlyList<AppCondition> Conditions { get; init; } = [];

    /// <summary>The app's objects, in plan order.</summary>
    public IReadOnlyList<ResourceStatus> Resources { get; init; } = [];

    /// <summary>Inventory ids of what the last sync applied (<c>ns_name_group_kind</c>) with their versions.</summary>
    public IReadOnlyList<InventoryEntry> Inventory { get; init; } = [];

    /// <summary>Successful syncs, newest last, at most <c>revisionHistoryLimit</c>.</summary>
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];

    /// <summary>When live state was last compared.</summary>
    public DateTimeOffset? ReconciledAt { get; init; }

    /// <summary>The last human diff (Secret values masked).</summary>
    public string? LastDiff { get; init; }

    /// <summary>A revision whose automated sync failed; not retried automatically until a new revision or self-heal.</summary>
    public string? FailedAutoSyncRevision { get; init; }

    /// <summary>The cluster the app targets, for display (e.g. "simulated cluster").</summary>
    public string? Cluster { get; init; }

    /// <summary>The app's source repo URL, path and target, for display.</summary>
    public string? Source { get; init; }

    /// <summary>The app's declared source and destination at the last reconcile.</summary>
    public AppSpecSnapshot? Spec { get; init; }

    /// <summary>The project's sync windows that match this app and are open now, as people read them (empty when none).</summary>
    public IReadOnlyList<string> ActiveSyncWindows { get; init; } = [];

    /// <summary>The fingerprint of the last comparison that found the app in sync (rendered objects, live resourceVersions, spec); a drift sweep that computes the same one does no diff work and writes nothing.</summary>
    public string? ComparisonFingerprint { get; init; }
}
