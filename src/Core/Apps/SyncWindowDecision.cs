namespace Ferry.Core.Apps;

/// <summary>What an app's project sync windows say at one moment: the windows open now and whether syncs may run.</summary>
public sealed record SyncWindowDecision
{
    /// <summary>Nothing restricts syncs.</summary>
    public static SyncWindowDecision Open { get; } = new();

    /// <summary>The matching windows open now, in project order.</summary>
    public IReadOnlyList<SyncWindow> Active { get; init; } = [];

    /// <summary>Why an automated sync (or self-heal) must wait, naming the windows; null when it may run.</summary>
    public string? AutomatedBlocked { get; init; }

    /// <summary>Why a manual sync is refused, naming the windows; null when it may run.</summary>
    public string? ManualBlocked { get; init; }

    /// <summary>The reason for a sync of that kind, or null when it may run.</summary>
    public string? BlockedFor(bool manual) => manual ? ManualBlocked : AutomatedBlocked;
}
