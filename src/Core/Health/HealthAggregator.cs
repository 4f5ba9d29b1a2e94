using Ferry.Core.Resources;

namespace Ferry.Core.Health;

/// <summary>Combines resource health into app health the way Argo CD does: the worst status wins.</summary>
public static class HealthAggregator
{
    /// <summary>How many causing resources an aggregated message names before "and N more".</summary>
    public const int MaxCausesShown = 3;

    /// <summary>The worst of some statuses (nulls skipped; Healthy when none), keeping the first message of that status.</summary>
    public static HealthStatus Worst(IEnumerable<HealthStatus?> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        HealthStatus? worst = null;
        foreach (var status in statuses)
        {
            if (status is not null && (worst is null || status.Status > worst.Status))
            {
                worst = status;
            }
        }

        return worst ?? HealthStatus.Healthy;
    }

    /// <summary>The worst of two statuses (the first on a tie).</summary>
    public static HealthStatus Worst(HealthStatus first, HealthStatus second) => second.Status > first.Status ? second : first;

    /// <summary>
    /// An app's health from its resources, by Argo CD's rules: resources without a check do not count, Missing ones do not count
    /// (the sync status already says they are missing) unless nothing is live at all, and a child Argo CD Application that is
    /// Missing or Unknown does not affect its parent. The message names the resources that caused a non-healthy result,
    /// ordinally sorted, as <c>Caused by apps/Deployment:ns/name, …</c>.
    /// </summary>
    public static HealthStatus Aggregate(IEnumerable<ResourceHealth> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var code = HealthStatusCode.Healthy;
        var causes = new List<ResourceKey>();
        var any = false;
        var anyLive = false;
        foreach (var (key, health) in resources)
        {
            any = true;
            var missing = health?.Status == HealthStatusCode.Missing;
            anyLive |= !missing;
            if (health is null || missing)
            {
                continue;
            }

            if (key is { Group: "argoproj.io", Kind: "Application" } && health.Status is HealthStatusCode.Unknown)
            {
                continue;
            }

            if (health.Status > code)
            {
                code = health.Status;
                causes.Clear();
                causes.Add(key);
            }
            else if (health.Status == code && code != HealthStatusCode.Healthy)
            {
                causes.Add(key);
            }
        }

        if (any && !anyLive && code < HealthStatusCode.Missing)
        {
            return new HealthStatus(HealthStatusCode.Missing);
        }

        return new HealthStatus(code, Describe(causes));
    }

    private static string? Describe(List<ResourceKey> causes)
    {
        if (causes.Count == 0)
        {
            return null;
        }

        causes.Sort();
        var names = causes.Take(MaxCausesShown).Select(k =>
            (k.Group.Length == 0 ? k.Kind : $"{k.Group}/{k.Kind}") + ":" + (k.Namespace.Length == 0 ? k.Name : $"{k.Namespace}/{k.Name}"));
        var text = "Caused by " + string.Join(", ", names);
        return causes.Count > MaxCausesShown ? $"{text} and {causes.Count - MaxCausesShown} more" : text;
    }
}
