namespace Ferry.Core.Notifications;

/// <summary>Argo CD's trigger names for <see cref="NotificationTrigger"/> values, both ways.</summary>
public static class NotificationTriggers
{
    /// <summary>The configuration name of a trigger.</summary>
    public static string Name(NotificationTrigger trigger) => trigger switch
    {
        NotificationTrigger.SyncSucceeded => "on-sync-succeeded",
        NotificationTrigger.SyncFailed => "on-sync-failed",
        NotificationTrigger.HealthDegraded => "on-health-degraded",
        _ => "on-deployed",
    };

    /// <summary>Parses a trigger name; null when unknown.</summary>
    public static NotificationTrigger? Parse(string name) => name.Trim() switch
    {
        "on-sync-succeeded" => NotificationTrigger.SyncSucceeded,
        "on-sync-failed" => NotificationTrigger.SyncFailed,
        "on-health-degraded" => NotificationTrigger.HealthDegraded,
        "on-deployed" => NotificationTrigger.Deployed,
        _ => null,
    };
}
