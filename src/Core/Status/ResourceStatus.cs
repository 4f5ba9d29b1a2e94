using Ferry.Core.Health;

namespace Ferry.Core.Status;

/// <summary>One object's state in an app: identity, what the last operation did, sync and health.</summary>
public sealed record ResourceStatus
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

    /// <summary>Synced or OutOfSync.</summary>
    public SyncStatusCode Status { get; init; }

    /// <summary>What the last operation did.</summary>
    public ResourceAction Action { get; init; }

    /// <summary>Health, when the kind has a health check.</summary>
    public HealthStatusCode? Health { get; init; }

    /// <summary>Health or error message.</summary>
    public string? Message { get; init; }

    /// <summary>The hook phase when this object is a hook (PreSync, Sync, PostSync, SyncFail).</summary>
    public string? HookPhase { get; init; }

    /// <summary>The object's sync wave.</summary>
    public int Wave { get; init; }
}
