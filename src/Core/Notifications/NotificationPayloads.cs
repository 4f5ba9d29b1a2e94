using System.Text.Json.Nodes;

namespace Ferry.Core.Notifications;

/// <summary>The JSON bodies of the three webhook formats.</summary>
internal static class NotificationPayloads
{
    public static JsonObject For(NotificationFormat format, Notification n) => format switch
    {
        NotificationFormat.Slack => Slack(n),
        NotificationFormat.Teams => Teams(n),
        _ => Generic(n),
    };

    public static string Title(Notification n) => n.Trigger switch
    {
        NotificationTrigger.SyncSucceeded => $"{n.App} synced to {Short(n.Revision)}",
        NotificationTrigger.SyncFailed => $"{n.App} failed to sync {Short(n.Revision)}",
        NotificationTrigger.HealthDegraded => $"{n.App} is Degraded",
        _ => $"{n.App} deployed {Short(n.Revision)}",
    };

    private static JsonObject Generic(Notification n) => new()
    {
        ["trigger"] = n.TriggerName,
        ["app"] = n.App,
        ["revision"] = n.Revision,
        ["syncStatus"] = n.SyncStatus.ToString(),
        ["healthStatus"] = n.Health.ToString(),
        ["message"] = n.Message,
        ["reason"] = n.Reason,
        ["time"] = n.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static JsonObject Slack(Notification n) => new()
    {
        ["text"] = $"{Title(n)}: {n.Message}",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["color"] = Colour(n.Trigger),
            ["title"] = Title(n),
            ["text"] = n.Message,
            ["fields"] = new JsonArray(
                Field("Sync Status", n.SyncStatus.ToString()),
                Field("Health", n.Health.ToString()),
                Field("Revision", n.Revision ?? "-")),
        }),
    };

    private static JsonObject Teams(Notification n) => new()
    {
        ["@type"] = "MessageCard",
        ["@context"] = "https://schema.org/extensions",
        ["themeColor"] = Colour(n.Trigger).TrimStart('#'),
        ["summary"] = Title(n),
        ["title"] = Title(n),
        ["text"] = n.Message,
        ["sections"] = new JsonArray(new JsonObject
        {
            ["facts"] = new JsonArray(
                new JsonObject { ["name"] = "Sync Status", ["value"] = n.SyncStatus.ToString() },
                new JsonObject { ["name"] = "Health", ["value"] = n.Health.ToString() },
                new JsonObject { ["name"] = "Revision", ["value"] = n.Revision ?? "-" }),
        }),
    };

    private static JsonObject Field(string title, string value) => new() { ["title"] = title, ["value"] = value, ["short"] = true };

    private static string Colour(NotificationTrigger trigger) => trigger switch
    {
        NotificationTrigger.SyncFailed or NotificationTrigger.HealthDegraded => "#E96D76",
        _ => "#18BE52",
    };

    private static string Short(string? revision) => revision is null ? "-" : revision.Length > 7 ? revision[..7] : revision;
}
