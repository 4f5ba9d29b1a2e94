namespace Ferry.Core.Status;

/// <summary>Argo CD's sync status names.</summary>
public enum SyncStatusCode
{
    /// <summary>Not yet compared, or the comparison failed.</summary>
    Unknown = 0,

    /// <summary>Live equals desired.</summary>
    Synced = 1,

    /// <summary>Live differs from desired.</summary>
    OutOfSync = 2,
}
