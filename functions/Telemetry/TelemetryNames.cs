namespace Ferry.Functions.Telemetry;

/// <summary>The custom event and metric names Ferry sends to Application Insights; <c>infra/workbook.json</c> queries exactly these.</summary>
public static class TelemetryNames
{
    /// <summary>A reconcile finished without error (applied, or compared only); <c>customEvents</c>.</summary>
    public const string SyncCompleted = "SyncCompleted";

    /// <summary>A reconcile failed (a failed step, or it could not run); <c>customEvents</c>.</summary>
    public const string SyncFailed = "SyncFailed";

    /// <summary>A refresh found live state different from Git; <c>customEvents</c>.</summary>
    public const string DriftDetected = "DriftDetected";

    /// <summary>A GitHub delivery was handled; <c>customEvents</c>.</summary>
    public const string WebhookReceived = "WebhookReceived";

    /// <summary>Wall time of one reconcile in milliseconds; <c>customMetrics</c> and the sync events' measurements.</summary>
    public const string SyncDurationMs = "SyncDurationMs";

    /// <summary>Objects created or configured by one reconcile; <c>customMetrics</c> and the sync events' measurements.</summary>
    public const string ObjectsApplied = "ObjectsApplied";

    /// <summary>Time from enqueue to the worker picking the job up, in milliseconds; <c>customMetrics</c> and the sync events' measurements.</summary>
    public const string QueueLatencyMs = "QueueLatencyMs";

    /// <summary>The dependency type of Kubernetes API requests.</summary>
    public const string KubernetesDependency = "Kubernetes";

    /// <summary>The dependency type of git commands that talk to a remote.</summary>
    public const string GitDependency = "Git";

    /// <summary>Every custom event name.</summary>
    public static IReadOnlyList<string> Events { get; } = [DriftDetected, SyncCompleted, SyncFailed, WebhookReceived];

    /// <summary>Every metric name.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [ObjectsApplied, QueueLatencyMs, SyncDurationMs];
}
