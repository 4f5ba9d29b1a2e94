namespace Ferry.Core.Apps;

/// <summary>syncPolicy.automated: sync on change, optionally pruning and self-healing.</summary>
public sealed record AutomatedSyncPolicy
{
    /// <summary>Delete objects that are no longer in Git.</summary>
    public bool Prune { get; init; }

    /// <summary>Revert changes made in the cluster.</summary>
    public bool SelfHeal { get; init; }

    /// <summary>Allow a sync that renders no objects at all.</summary>
    public bool AllowEmpty { get; init; }
}
