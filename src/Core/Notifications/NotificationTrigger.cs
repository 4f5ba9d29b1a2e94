namespace Ferry.Core.Notifications;

/// <summary>When a notification is sent; the names in configuration are Argo CD's trigger names.</summary>
public enum NotificationTrigger
{
    /// <summary><c>on-sync-succeeded</c>: a sync operation finished successfully.</summary>
    SyncSucceeded = 0,

    /// <summary><c>on-sync-failed</c>: a sync operation failed or could not run.</summary>
    SyncFailed = 1,

    /// <summary><c>on-health-degraded</c>: the app's health became Degraded.</summary>
    HealthDegraded = 2,

    /// <summary><c>on-deployed</c>: a successful sync's objects became Healthy (once per deployment).</summary>
    Deployed = 3,
}
