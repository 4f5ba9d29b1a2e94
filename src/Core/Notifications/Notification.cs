using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Core.Notifications;

/// <summary>One thing worth telling people about an app: the trigger and the app's state at that moment.</summary>
public sealed record Notification
{
    /// <summary>Why it is sent.</summary>
    public required NotificationTrigger Trigger { get; init; }

    /// <summary>The app's name.</summary>
    public required string App { get; init; }

    /// <summary>The revision synced or compared.</summary>
    public string? Revision { get; init; }

    /// <summary>Synced, OutOfSync or Unknown.</summary>
    public SyncStatusCode SyncStatus { get; init; }

    /// <summary>The app's health.</summary>
    public HealthStatusCode Health { get; init; }

    /// <summary>The operation's message (or the health message for on-health-degraded).</summary>
    public string? Message { get; init; }

    /// <summary>Why the operation ran (webhook, drift, manual, rollback).</summary>
    public string? Reason { get; init; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>Argo CD's name of the trigger (<c>on-sync-failed</c>...).</summary>
    public string TriggerName => NotificationTriggers.Name(Trigger);
}
