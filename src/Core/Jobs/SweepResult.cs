namespace Ferry.Core.Jobs;

/// <summary>What one drift sweep did: apps compared, apps unchanged since their last comparison, apps handed to their own jobs.</summary>
public sealed record SweepResult
{
    /// <summary>The cluster swept.</summary>
    public required string Cluster { get; init; }

    /// <summary>Every app on the cluster, sorted.</summary>
    public IReadOnlyList<string> Apps { get; init; } = [];

    /// <summary>Apps whose rendered objects, live state and spec were as at their last comparison (no diff work, nothing written).</summary>
    public int Unchanged { get; init; }

    /// <summary>Apps queued for their own job (a sync their policy asks for, or a failure to retry), sorted.</summary>
    public IReadOnlyList<string> HandedOff { get; init; } = [];

    /// <summary>The (resource, namespace) lists the sweep read.</summary>
    public int Lists { get; init; }
}
