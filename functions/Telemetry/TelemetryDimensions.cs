namespace Ferry.Functions.Telemetry;

/// <summary>The <c>customDimensions</c> keys Ferry's telemetry carries; <c>infra/workbook.json</c> queries exactly these.</summary>
public static class TelemetryDimensions
{
    /// <summary>The Application's name.</summary>
    public const string App = "app";

    /// <summary>The commit SHA synced or compared.</summary>
    public const string Revision = "revision";

    /// <summary>Synced, OutOfSync or Unknown.</summary>
    public const string SyncStatus = "syncStatus";

    /// <summary>The app's aggregate health (Healthy, Progressing, Degraded, …).</summary>
    public const string Health = "health";

    /// <summary>Why the reconcile ran: webhook, drift, manual, rollback.</summary>
    public const string Reason = "reason";

    /// <summary>The webhook delivery (or drift check) id; also the operation id.</summary>
    public const string DeliveryId = "deliveryId";

    /// <summary>Sync, Refresh or ForceSync.</summary>
    public const string Mode = "mode";

    /// <summary>Whether the reconcile applied to the cluster ("True"/"False").</summary>
    public const string Applied = "applied";

    /// <summary>The operation phase: Succeeded, Failed or Error.</summary>
    public const string Phase = "phase";

    /// <summary>The operation's one-line summary or error (file and line where there is one).</summary>
    public const string Message = "message";

    /// <summary>The cluster the app targets, as displayed.</summary>
    public const string Cluster = "cluster";

    /// <summary>Objects created by the reconcile.</summary>
    public const string Created = "created";

    /// <summary>Objects that drifted and were applied.</summary>
    public const string Configured = "configured";

    /// <summary>Objects already equal to Git.</summary>
    public const string Unchanged = "unchanged";

    /// <summary>Objects deleted because Git no longer has them.</summary>
    public const string Pruned = "pruned";

    /// <summary>Objects the API server refused.</summary>
    public const string Failed = "failed";

    /// <summary>Objects that differ from Git (a drift event).</summary>
    public const string OutOfSync = "outOfSync";

    /// <summary>Up to ten drifted objects as <c>Kind/namespace/name</c>, comma separated.</summary>
    public const string Resources = "resources";

    /// <summary>Whether Ferry heals the drift now ("True"/"False").</summary>
    public const string WillSync = "willSync";

    /// <summary>The GitHub event (push, ping, …).</summary>
    public const string Event = "event";

    /// <summary>The HTTP status Ferry answered the delivery with.</summary>
    public const string StatusCode = "statusCode";

    /// <summary>The apps a delivery queued, comma separated.</summary>
    public const string Queued = "queued";

    /// <summary>How many apps a delivery queued.</summary>
    public const string QueuedCount = "queuedCount";

    /// <summary>The exception type that ended an invocation (never its message, which may quote input).</summary>
    public const string Error = "error";

    /// <summary>Every dimension key.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        App, Applied, Cluster, Configured, Created, DeliveryId, Error, Event, Failed, Health, Message, Mode, OutOfSync, Phase,
        Pruned, Queued, QueuedCount, Reason, Resources, Revision, StatusCode, SyncStatus, Unchanged, WillSync,
    ];
}
