using Ferry.Core.Diff;
using Ferry.Core.Inventory;
using Ferry.Core.Resources;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>One sync (or, with <see cref="DryRun"/>, one comparison) of an app's desired manifests against a cluster.</summary>
public sealed record SyncRequest
{
    /// <summary>The app's name (tracking annotation, messages).</summary>
    public required string AppName { get; init; }

    /// <summary>The rendered manifests.</summary>
    public required IReadOnlyList<Manifest> Manifests { get; init; }

    /// <summary>What the previous sync applied.</summary>
    public IReadOnlyList<InventoryEntry> Inventory { get; init; } = [];

    /// <summary>Namespace for namespaced objects that name none.</summary>
    public string? DestinationNamespace { get; init; }

    /// <summary>Delete what the inventory has and Git no longer does.</summary>
    public bool Prune { get; init; }

    /// <summary>Compare only: nothing is applied or deleted (a refresh, <c>ferry diff</c>, <c>sync --dry-run</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>Allow a sync whose render produced nothing (it would prune everything).</summary>
    public bool AllowEmpty { get; init; }

    /// <summary>App-level sync options.</summary>
    public SyncOptionSet Options { get; init; } = new();

    /// <summary>Comparison rules.</summary>
    public DiffOptions Diff { get; init; } = new();

    /// <summary>Project restrictions: returns a violation message for a forbidden object, else null.</summary>
    public Func<ResourceKey, bool, string?>? Policy { get; init; }

    /// <summary>How many API requests run at once.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>How long a wave or hook may take to become healthy before the sync fails.</summary>
    public TimeSpan WaveTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often health is polled while waiting for a wave.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Told about each object as the sync handles it, in execution order.</summary>
    public IProgress<ResourceStatus>? Progress { get; init; }

    /// <summary>Called (and awaited) each time the sync polls a wave that is not healthy yet, so the caller can show "waiting for X/Y".</summary>
    public Func<SyncWait, CancellationToken, Task>? OnWaiting { get; init; }

    /// <summary>Labels and annotations for the namespace that CreateNamespace=true manages.</summary>
    public ManagedNamespaceMetadata? NamespaceMetadata { get; init; }

    /// <summary>A read of the cluster shared with other apps (a drift sweep): live objects come from it instead of this request's own lists.</summary>
    public LiveSnapshot? Live { get; init; }

    /// <summary>
    /// What besides the manifests and the live objects decides this comparison (the app's spec, its project); when set, the result
    /// carries a <see cref="SyncResult.Fingerprint"/> of all three.
    /// </summary>
    public string? ComparisonKey { get; init; }

    /// <summary>The fingerprint of the last comparison; when this one's is equal, nothing is compared and the result says <see cref="SyncResult.Unchanged"/>.</summary>
    public string? UnchangedFingerprint { get; init; }
}
