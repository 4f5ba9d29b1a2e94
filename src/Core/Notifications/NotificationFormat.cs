namespace Ferry.Core.Notifications;

/// <summary>The body a webhook target expects.</summary>
public enum NotificationFormat
{
    /// <summary>Ferry's own JSON document (trigger, app, revision, status, message).</summary>
    Generic = 0,

    /// <summary>A Slack incoming-webhook message.</summary>
    Slack = 1,

    /// <summary>A Microsoft Teams incoming-webhook message card.</summary>
    Teams = 2,
}
