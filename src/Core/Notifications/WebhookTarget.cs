namespace Ferry.Core.Notifications;

/// <summary>One webhook to notify: its name (for logs), URL (a secret), body format and the triggers it wants.</summary>
public sealed record WebhookTarget
{
    /// <summary>A name for logs and errors; the URL itself is never logged.</summary>
    public required string Name { get; init; }

    /// <summary>The incoming-webhook URL (a secret: it carries the credential).</summary>
    public required Uri Url { get; init; }

    /// <summary>The body format.</summary>
    public NotificationFormat Format { get; init; } = NotificationFormat.Generic;

    /// <summary>The triggers sent to this target; all four when not configured.</summary>
    public IReadOnlyList<NotificationTrigger> Triggers { get; init; } = Enum.GetValues<NotificationTrigger>();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Format})";
}
