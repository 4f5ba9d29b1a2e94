using System.Globalization;
using System.Text;

namespace Ferry.Core.Metrics;

/// <summary>Renders a <see cref="MetricsRegistry"/> in the Prometheus text exposition format (version 0.0.4), series sorted for stable output.</summary>
public static class PrometheusText
{
    /// <summary>The Content-Type to serve the text with.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The exposition text of every metric.</summary>
    public static string Render(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var text = new StringBuilder();

        Header(text, "ferry_app_info", "gauge", "Information about an application: its sync and health status (always 1).");
        foreach (var (app, info) in registry.Apps.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Line(text, "ferry_app_info", [("name", app), ("dest_server", info.Cluster), ("sync_status", info.SyncStatus), ("health_status", info.HealthStatus)], 1);
        }

        Header(text, "ferry_app_sync_total", "counter", "Sync operations per application and phase (Succeeded, Failed, Error).");
        foreach (var ((app, phase), count) in registry.Syncs.OrderBy(p => p.Key.App, StringComparer.Ordinal).ThenBy(p => p.Key.Phase, StringComparer.Ordinal))
        {
            Line(text, "ferry_app_sync_total", [("name", app), ("phase", phase)], count);
        }

        Header(text, "ferry_app_reconcile_seconds", "histogram", "Application reconcile duration in seconds (resolve, fetch, render, compare, sync, record).");
        foreach (var (app, histogram) in registry.Reconciles.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (cumulative, sum, count) = histogram.Snapshot();
            for (var i = 0; i < cumulative.Length; i++)
            {
                Line(text, "ferry_app_reconcile_seconds_bucket", [("name", app), ("le", Number(MetricsRegistry.ReconcileBuckets[i]))], cumulative[i]);
            }

            Line(text, "ferry_app_reconcile_seconds_bucket", [("name", app), ("le", "+Inf")], count);
            text.Append("ferry_app_reconcile_seconds_sum").Append(Labels([("name", app)])).Append(' ').Append(Number(sum)).Append('\n');
            Line(text, "ferry_app_reconcile_seconds_count", [("name", app)], count);
        }

        Header(text, "ferry_git_request_total", "counter", "Git requests (ls-remote, fetch) per repository and outcome.");
        foreach (var ((repo, type, outcome), count) in registry.Git.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            Line(text, "ferry_git_request_total", [("repo", repo), ("request_type", type), ("outcome", outcome)], count);
        }

        Header(text, "ferry_kube_request_total", "counter", "Kubernetes API requests per cluster, verb, resource and response code (0: no answer).");
        foreach (var ((server, verb, resource, code), count) in registry.Kube.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            Line(text, "ferry_kube_request_total", [("server", server), ("verb", verb), ("resource_kind", resource), ("response_code", code)], count);
        }

        Header(text, "ferry_webhook_requests_total", "counter", "GitHub webhook deliveries per event and HTTP response code.");
        foreach (var ((evt, code), count) in registry.Webhooks.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal))
        {
            Line(text, "ferry_webhook_requests_total", [("event", evt), ("response_code", code)], count);
        }

        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, (string Name, string Value)[] labels, long value) =>
        text.Append(name).Append(Labels(labels)).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Labels((string Name, string Value)[] labels) =>
        "{" + string.Join(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    /// <summary>Label values escape backslash, double quote and newline, as the format requires.</summary>
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
