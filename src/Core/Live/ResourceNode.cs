using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Core.Live;

/// <summary>One object in an app's resource tree: its identity, health, sync status (managed objects only) and the objects it owns.</summary>
public sealed record ResourceNode
{
    /// <summary>API group ("" for core).</summary>
    public required string Group { get; init; }

    /// <summary>API version.</summary>
    public required string Version { get; init; }

    /// <summary>Kind.</summary>
    public required string Kind { get; init; }

    /// <summary>Namespace ("" when cluster-scoped).</summary>
    public required string Namespace { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>The live object's uid; null when it does not exist in the cluster.</summary>
    public string? Uid { get; init; }

    /// <summary>True for objects the app applies (from Git); false for objects a controller created (a Deployment's ReplicaSets, say).</summary>
    public bool Managed { get; init; }

    /// <summary>Synced or OutOfSync as the last comparison found; null for objects the app does not manage.</summary>
    public SyncStatusCode? Status { get; init; }

    /// <summary>Health of the live object (Missing when it does not exist); null for kinds without a health check.</summary>
    public HealthStatus? Health { get; init; }

    /// <summary>The objects whose ownerReferences name this one, sorted by kind, namespace and name.</summary>
    public IReadOnlyList<ResourceNode> Children { get; init; } = [];
}
