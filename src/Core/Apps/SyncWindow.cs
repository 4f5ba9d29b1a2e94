using System.Globalization;
using Cronos;
using Ferry.Core.Render.Directory;

namespace Ferry.Core.Apps;

/// <summary>One entry of an AppProject's <c>spec.syncWindows</c>: when syncs of the matching apps are allowed or denied.</summary>
public sealed record SyncWindow
{
    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The cron schedule text (five fields) at which the window opens.</summary>
    public required string Schedule { get; init; }

    /// <summary>The parsed schedule.</summary>
    public required CronExpression Cron { get; init; }

    /// <summary>The duration text as written (<c>1h</c>).</summary>
    public required string DurationText { get; init; }

    /// <summary>How long the window stays open after each occurrence.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The IANA time zone the schedule is read in (UTC when absent).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The resolved time zone.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Application name globs.</summary>
    public IReadOnlyList<string> Applications { get; init; } = [];

    /// <summary>Destination namespace globs.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Destination cluster globs (matched against the server URL and the cluster name).</summary>
    public IReadOnlyList<string> Clusters { get; init; } = [];

    /// <summary>Whether manual syncs may run while this window blocks (a deny window that is active, an allow window that is not).</summary>
    public bool ManualSync { get; init; }

    /// <summary>Argo's <c>andOperator</c>: an app matches only when every non-empty selector list matches.</summary>
    public bool AndOperator { get; init; }

    /// <summary>Where the window is defined, for messages (<c>spec.syncWindows[0]</c> of project <c>web</c>).</summary>
    public string Origin { get; init; } = string.Empty;

    /// <summary>True for a deny window.</summary>
    public bool IsDeny => string.Equals(Kind, "deny", StringComparison.Ordinal);

    /// <summary>Whether the window is open at <paramref name="now"/>: the schedule fired within the last <see cref="Duration"/> (Argo's rule).</summary>
    public bool IsActive(DateTimeOffset now)
    {
        var next = Cron.GetNextOccurrence(now - Duration, Zone, inclusive: false);
        return next is { } opened && opened < now;
    }

    /// <summary>Whether the window applies to an app with this name and destination, by Argo's glob rules.</summary>
    public bool Matches(string app, string? server, string? clusterName, string? destinationNamespace)
    {
        var selectors = new List<bool>(3);
        if (Applications.Count > 0)
        {
            selectors.Add(Applications.Any(g => Glob.Match(g, app)));
        }

        if (Clusters.Count > 0)
        {
            selectors.Add(Clusters.Any(g => (!string.IsNullOrEmpty(clusterName) && Glob.Match(g, clusterName)) || (!string.IsNullOrEmpty(server) && Glob.Match(g, server))));
        }

        if (Namespaces.Count > 0)
        {
            selectors.Add(Namespaces.Any(g => Glob.Match(g, destinationNamespace ?? string.Empty)));
        }

        return selectors.Count > 0 && (AndOperator ? selectors.All(s => s) : selectors.Any(s => s));
    }

    /// <summary>The window as people read it: <c>deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, Europe/Amsterdam)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind} window {Origin} ({Schedule}, {DurationText}, {TimeZone}{(ManualSync ? ", manual sync allowed" : string.Empty)})");
}
