using System.Text.Json.Nodes;
using Cronos;

namespace Ferry.Core.Apps;

/// <summary>Reads an AppProject's <c>spec.syncWindows</c>, checking kind, schedule, duration and time zone with their lines.</summary>
internal static class SyncWindowParser
{
    public static IReadOnlyList<SyncWindow> Parse(DocumentReader r, JsonObject spec, string project)
    {
        if (r.Array(spec, "spec", "syncWindows") is not { } list)
        {
            return [];
        }

        var windows = new List<SyncWindow>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"spec.syncWindows[{i}]";
            if (list[i] is not JsonObject item)
            {
                r.Error(path, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                continue;
            }

            r.Known(item, path, "kind", "schedule", "duration", "applications", "namespaces", "clusters", "manualSync", "timeZone", "andOperator", "syncOverrun", "description");
            r.Unsupported(item, path, "syncOverrun", "not supported by Ferry: a sync is checked against the windows when it starts; ignored");
            if (ParseWindow(r, item, path, project) is { } window)
            {
                windows.Add(window);
            }
        }

        return windows;
    }

    private static SyncWindow? ParseWindow(DocumentReader r, JsonObject item, string path, string project)
    {
        var errors = r.Errors.Count;
        var kind = r.String(item, path, "kind", required: true);
        if (kind is not null and not ("allow" or "deny"))
        {
            r.Error($"{path}.kind", $"must be allow or deny, got '{kind}'");
        }

        var schedule = r.String(item, path, "schedule", required: true);
        CronExpression? cron = null;
        if (schedule is { Length: > 0 })
        {
            try
            {
                cron = CronExpression.Parse(schedule, CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                r.Error($"{path}.schedule", $"not a five-field cron schedule: {ex.Message}");
            }
        }

        var durationText = r.String(item, path, "duration", required: true);
        var duration = durationText is { Length: > 0 } ? DocumentReader.ParseDuration(durationText) : null;
        if (durationText is { Length: > 0 } && (duration is null || duration <= TimeSpan.Zero))
        {
            r.Error($"{path}.duration", $"must be a positive duration such as 30m, 1h or 1h30m, got '{durationText}'");
        }

        var timeZone = r.String(item, path, "timeZone") is { Length: > 0 } tz ? tz : "UTC";
        TimeZoneInfo? zone = null;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            r.Error($"{path}.timeZone", $"unknown time zone '{timeZone}' (use an IANA name such as Europe/Amsterdam)");
        }

        var applications = r.Strings(item, path, "applications");
        var namespaces = r.Strings(item, path, "namespaces");
        var clusters = r.Strings(item, path, "clusters");
        if (applications.Count + namespaces.Count + clusters.Count == 0)
        {
            r.Warn(path, "matches no application: give applications, namespaces or clusters (as in Argo CD)");
        }

        if (r.Errors.Count > errors || kind is null || schedule is null || cron is null || durationText is null || duration is null || zone is null)
        {
            return null;
        }

        return new SyncWindow
        {
            Kind = kind,
            Schedule = schedule,
            Cron = cron,
            DurationText = durationText,
            Duration = duration.Value,
            TimeZone = timeZone,
            Zone = zone,
            Applications = applications,
            Namespaces = namespaces,
            Clusters = clusters,
            ManualSync = r.Bool(item, path, "manualSync"),
            AndOperator = r.Bool(item, path, "andOperator"),
            Origin = $"{path} of project {project}",
        };
    }
}
