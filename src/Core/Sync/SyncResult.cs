using Ferry.Core.Health;
using Ferry.Core.Inventory;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>What a sync did: its phase, per-object results in execution order, the resulting sync and health status, and the next inventory.</summary>
public sealed record SyncResult
{
    /// <summary>Succeeded, Failed or Error.</summary>
    public required OperationPhase Phase { get; init; }

    /// <summary>Summary or error message.</summary>
    public required string Message { get; init; }

    /// <summary>Synced or OutOfSync after the operation.</summary>
    public SyncStatusCode SyncStatus { get; init; }

    /// <summary>Aggregate health.</summary>
    public HealthStatus Health { get; init; } = new(HealthStatusCode.Unknown);

    /// <summary>Per-object results in the order they were handled.</summary>
    public IReadOnlyList<ResourceStatus> Results { get; init; } = [];

    /// <summary>The app's objects in plan order (for status).</summary>
    public IReadOnlyList<ResourceStatus> Resources { get; init; } = [];

    /// <summary>The inventory to record (unchanged when nothing was applied).</summary>
    public IReadOnlyList<InventoryEntry> Inventory { get; init; } = [];

    /// <summary>A human diff of what differed (Secret values masked).</summary>
    public string Diff { get; init; } = string.Empty;

    /// <summary>Milliseconds per stage.</summary>
    public IReadOnlyDictionary<string, double> StageMilliseconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Warnings (unknown sync options, ignored fields).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>A hash of the comparison's inputs (rendered objects, their live resourceVersions, the comparison key); null when no key was given.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>The inputs equal the last comparison's fingerprint, so no diff was made: the last recorded result still holds.</summary>
    public bool Unchanged { get; init; }
}
