using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Functions.Tests.TestSupport;

/// <summary>App statuses covering every state the page and badge show: healthy, degraded with a hostile diff, progressing, suspended, unknown.</summary>
internal static class SampleStatuses
{
    public const string GuestbookRevision = "4f2c1a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39";
    public const string PaymentsRevision = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d";
    public const string HostileDiffLine = "+    note: <script>window.__pwned = true; alert('x')</script>";

    private static readonly DateTimeOffset Now = TestWebApp.Now;

    public static IReadOnlyList<AppStatus> All => [Payments, Guestbook, Monitoring, BatchJobs, Legacy];

    public static AppStatus Guestbook { get; } = new()
    {
        Name = "guestbook",
        SyncStatus = SyncStatusCode.Synced,
        Revision = GuestbookRevision,
        Health = HealthStatusCode.Healthy,
        Cluster = "simulated cluster",
        Source = "https://github.com/argoproj/argocd-example-apps guestbook @ HEAD",
        ReconciledAt = Now.AddMinutes(-1),
        Operation = new OperationState
        {
            Phase = OperationPhase.Succeeded,
            Message = "successfully synced (all tasks run)",
            Revision = GuestbookRevision,
            Reason = "webhook",
            StartedAt = Now.AddMinutes(-3).AddSeconds(-2),
            FinishedAt = Now.AddMinutes(-3),
            StageMilliseconds = new Dictionary<string, double> { ["resolve"] = 41.2, ["fetch"] = 180.5, ["render"] = 12.9, ["plan"] = 33.0, ["apply"] = 96.4, ["prune"] = 3.1, ["health"] = 8.7 },
            Results =
            [
                Resource("", "v1", "Service", "guestbook", "guestbook-ui", ResourceAction.Unchanged, HealthStatusCode.Healthy),
                Resource("apps", "v1", "Deployment", "guestbook", "guestbook-ui", ResourceAction.Configured, HealthStatusCode.Healthy),
            ],
        },
        Resources =
        [
            Resource("", "v1", "Service", "guestbook", "guestbook-ui", ResourceAction.Unchanged, HealthStatusCode.Healthy),
            Resource("apps", "v1", "Deployment", "guestbook", "guestbook-ui", ResourceAction.Configured, HealthStatusCode.Healthy),
        ],
        History =
        [
            History(1, "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", Now.AddDays(-2), "manual"),
            History(2, "1b2c3d4e5f60718293a4b5c6d7e8f9012345678a", Now.AddHours(-5), "webhook"),
            History(3, GuestbookRevision, Now.AddMinutes(-3), "webhook"),
        ],
        LastDiff = """
            --- apps/Deployment/guestbook/guestbook-ui (live)
            +++ apps/Deployment/guestbook/guestbook-ui (desired)
            @@ spec @@
               replicas: 1
            -  image: gcr.io/heptio-images/ks-guestbook-demo:0.1
            +  image: gcr.io/heptio-images/ks-guestbook-demo:0.2
            """,
    };

    public static AppStatus Payments { get; } = new()
    {
        Name = "payments",
        SyncStatus = SyncStatusCode.OutOfSync,
        Revision = PaymentsRevision,
        Health = HealthStatusCode.Degraded,
        HealthMessage = "Deployment \"api\" exceeded its progress deadline",
        Cluster = "aks-prod-westeurope",
        Source = "https://github.com/contoso/payments deploy/prod @ main",
        ReconciledAt = Now.AddSeconds(-20),
        Operation = new OperationState
        {
            Phase = OperationPhase.Failed,
            Message = "one or more objects failed to apply: ConfigMap payments/api-config: admission webhook denied the request",
            Revision = PaymentsRevision,
            Reason = "drift",
            StartedAt = Now.AddMinutes(-12).AddSeconds(-4),
            FinishedAt = Now.AddMinutes(-12),
            RetryCount = 2,
            Results =
            [
                Resource("", "v1", "ConfigMap", "payments", "api-config", ResourceAction.Failed, null, "admission webhook denied the request"),
            ],
        },
        Resources =
        [
            Resource("", "v1", "ConfigMap", "payments", "api-config", ResourceAction.Failed, null, "admission webhook denied the request", SyncStatusCode.OutOfSync),
            Resource("apps", "v1", "Deployment", "payments", "api", ResourceAction.Unchanged, HealthStatusCode.Degraded, "Deployment \"api\" exceeded its progress deadline"),
            Resource("", "v1", "Service", "payments", "api", ResourceAction.Unchanged, HealthStatusCode.Healthy),
        ],
        Conditions = [new AppCondition("SyncError", "Failed sync attempt to 9e8d7c6: one or more objects failed to apply", Now.AddMinutes(-12))],
        History = [History(7, "8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c", Now.AddDays(-1), "webhook")],
        LastDiff = $"""
            --- /ConfigMap/payments/api-config (live)
            +++ /ConfigMap/payments/api-config (desired)
            @@ data @@
            -    note: plain
            {HostileDiffLine}
               region: westeurope
            """,
    };

    public static AppStatus Monitoring { get; } = new()
    {
        Name = "monitoring",
        SyncStatus = SyncStatusCode.Synced,
        Revision = "c0ffee1234567890c0ffee1234567890c0ffee12",
        Health = HealthStatusCode.Progressing,
        HealthMessage = "Waiting for rollout to finish: 1 of 3 updated replicas are available...",
        Cluster = "simulated cluster",
        Source = "https://github.com/contoso/platform monitoring @ HEAD",
        Operation = new OperationState
        {
            Phase = OperationPhase.Running,
            Message = "waiting for healthy state of apps/Deployment/monitoring/grafana",
            StartedAt = Now.AddSeconds(-30),
        },
        Resources =
        [
            Resource("apps", "v1", "Deployment", "monitoring", "grafana", ResourceAction.Configured, HealthStatusCode.Progressing, "Waiting for rollout to finish: 1 of 3 updated replicas are available..."),
        ],
    };

    public static AppStatus BatchJobs { get; } = new()
    {
        Name = "batch-jobs",
        SyncStatus = SyncStatusCode.Synced,
        Revision = "feedface00000000000000000000000000000001",
        Health = HealthStatusCode.Suspended,
        Cluster = "aks-prod-westeurope",
        Source = "https://github.com/contoso/batch jobs @ v1.4.0",
        Operation = new OperationState { Phase = OperationPhase.Succeeded, Message = "successfully synced", StartedAt = Now.AddHours(-2), FinishedAt = Now.AddHours(-2).AddSeconds(3) },
        Resources = [Resource("batch", "v1", "CronJob", "jobs", "nightly-report", ResourceAction.Unchanged, HealthStatusCode.Suspended, "CronJob is suspended")],
    };

    public static AppStatus Legacy { get; } = new()
    {
        Name = "legacy",
        SyncStatus = SyncStatusCode.Unknown,
        Health = HealthStatusCode.Missing,
    };

    private static ResourceStatus Resource(string group, string version, string kind, string ns, string name, ResourceAction action, HealthStatusCode? health, string? message = null, SyncStatusCode? status = null) => new()
    {
        Group = group,
        Version = version,
        Kind = kind,
        Namespace = ns,
        Name = name,
        Action = action,
        Health = health,
        Message = message,
        Status = status ?? (action is ResourceAction.Failed or ResourceAction.OutOfSync ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced),
    };

    private static HistoryEntry History(long id, string revision, DateTimeOffset deployedAt, string reason) => new()
    {
        Id = id,
        Revision = revision,
        DeployedAt = deployedAt,
        DeployStartedAt = deployedAt.AddSeconds(-4),
        RepoUrl = "https://github.com/example/repo",
        Path = "deploy",
        Reason = reason,
    };
}
