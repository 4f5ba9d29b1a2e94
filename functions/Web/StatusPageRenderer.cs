using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Ferry.Core.Jobs;
using Ferry.Core.Status;

namespace Ferry.Functions.Web;

/// <summary>Renders the status page: one tile per app with sync, health and the last operation, expandable to resources, diff and history.</summary>
internal static class StatusPageRenderer
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Renders the whole page; <paramref name="expandedApp"/> opens that app's details.</summary>
    public static string Render(IReadOnlyList<AppStatus> apps, DateTimeOffset now, string? expandedApp = null, CatalogReport? catalog = null) =>
        Render(apps, now, expandedApp, new StatusPageContext { Catalog = catalog });

    /// <summary>Renders the whole page with the catalog's sync policies and the actions' authorization.</summary>
    public static string Render(IReadOnlyList<AppStatus> apps, DateTimeOffset now, string? expandedApp, StatusPageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var catalog = context.Catalog;
        var html = new StringBuilder(16 * 1024);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>Ferry · apps</title>
            <noscript><meta http-equiv="refresh" content="5"></noscript>
            <style>
            """);
        html.Append(StatusPageAssets.Css);
        html.Append("</style>\n</head>\n<body>\n");
        Header(html, apps, now);
        Toolbar(html, context);
        html.Append("<div id=\"catalog\">");
        if (catalog is not null)
        {
            Catalog(html, catalog);
        }

        html.Append("</div>\n");

        html.Append("<main id=\"apps\" class=\"apps\" aria-live=\"polite\">\n");
        if (expandedApp is not null && !apps.Any(a => string.Equals(a.Name, expandedApp, StringComparison.Ordinal)))
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"empty not-found\" data-testid=\"no-such-app\" role=\"alert\"><h2>No app named {E(expandedApp)}</h2><p>Ferry has no app named <code>{E(expandedApp)}</code> (names are case-sensitive). <a href=\"/\">Show all apps</a></p></section>\n");
        }

        if (apps.Count == 0)
        {
            html.Append("""
                <section class="empty" data-testid="empty">
                <h2>No apps yet</h2>
                <p>No apps yet — Ferry shows an app here after its first sync or drift check. Add an <code>Application</code> to the catalog, push to its repository, or wait for the next drift check (every 3 minutes).</p>
                </section>
                """);
        }

        foreach (var app in apps)
        {
            Tile(html, app, now, string.Equals(app.Name, expandedApp, StringComparison.Ordinal), context);
        }

        html.Append("</main>\n");
        html.Append("""
            <footer class="foot">
            <span>JSON: <a href="/api/apps">/api/apps</a> · badge: <code>/api/badge/&lt;app&gt;</code></span>
            <span id="refresh-state">Refreshes every 5 s</span>
            </footer>
            <script>
            """);
        html.Append(StatusPageAssets.Script);
        html.Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, IReadOnlyList<AppStatus> apps, DateTimeOffset now)
    {
        var synced = apps.Count(a => a.SyncStatus == SyncStatusCode.Synced);
        var outOfSync = apps.Count(a => a.SyncStatus == SyncStatusCode.OutOfSync);
        var degraded = apps.Count(a => a.Health == Core.Health.HealthStatusCode.Degraded);
        html.Append("<header class=\"top\" id=\"top\">\n<div class=\"brand\">");
        html.Append(StatusPageAssets.Logo);
        html.Append("<span class=\"brand-name\">Ferry</span><span class=\"brand-sub\">GitOps delivery</span></div>\n");
        html.Append("<div class=\"totals\" data-testid=\"totals\">");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"total\"><b>{apps.Count}</b> {(apps.Count == 1 ? "app" : "apps")}</span>");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"total tone-green\"><b>{synced}</b> synced</span>");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"total tone-amber\"><b>{outOfSync}</b> out of sync</span>");
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"total tone-red\"><b>{degraded}</b> degraded</span>");
        html.Append("</div>\n");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"updated\">Updated <time datetime=\"{RelativeTime.Rfc3339(now)}\">{E(now.ToUniversalTime().ToString("HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))}</time></div>\n");
        html.Append("</header>\n");
    }

    /// <summary>Search and filters (applied in the browser to the tiles' data attributes), and the API token field when actions need one.</summary>
    private static void Toolbar(StringBuilder html, StatusPageContext context)
    {
        html.Append("<nav class=\"toolbar\" aria-label=\"Filter apps\">");
        html.Append("<input id=\"search\" type=\"search\" placeholder=\"Search apps\" aria-label=\"Search apps by name\" autocomplete=\"off\">");
        html.Append("<select id=\"filter-sync\" aria-label=\"Sync status\"><option value=\"\">Any sync status</option><option>Synced</option><option>OutOfSync</option><option>Unknown</option></select>");
        html.Append("<select id=\"filter-health\" aria-label=\"Health\"><option value=\"\">Any health</option><option>Healthy</option><option>Progressing</option><option>Degraded</option><option>Suspended</option><option>Missing</option><option>Unknown</option></select>");
        html.Append("<span id=\"filter-count\" class=\"muted\" data-testid=\"filter-count\"></span>");
        if (!context.ActionsEnabled)
        {
            html.Append("<span class=\"actions-off muted\" data-testid=\"actions-disabled\">Actions are off: start <code>ferry serve</code> with <code>--api-token</code> (or <code>FERRY_API_TOKEN</code>) to sync, refresh and roll back from here.</span>");
        }
        else if (context.ActionsNeedToken)
        {
            html.Append("<label class=\"token\">API token <input id=\"api-token\" type=\"password\" autocomplete=\"off\" placeholder=\"--api-token of ferry serve\"></label>");
        }

        html.Append("</nav>\n");
    }

    /// <summary>The catalog's errors (nothing syncs until they are fixed) and warnings, each naming file, line and field.</summary>
    private static void Catalog(StringBuilder html, CatalogReport catalog)
    {
        if (!catalog.IsValid)
        {
            html.Append("<section class=\"catalog catalog-errors\" data-testid=\"catalog-errors\" role=\"alert\"><h2>The apps catalog is invalid — no app is synced until it is fixed</h2><ul>");
            foreach (var error in catalog.Errors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><code>{E(error.ToString())}</code></li>");
            }

            html.Append("</ul></section>\n");
        }

        if (catalog.Warnings.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"catalog catalog-warnings\" data-testid=\"catalog-warnings\"><summary>{catalog.Warnings.Count} catalog {(catalog.Warnings.Count == 1 ? "warning" : "warnings")} (unknown or unsupported fields)</summary><ul>");
            foreach (var warning in catalog.Warnings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><code>{E(warning.ToString())}</code></li>");
            }

            html.Append("</ul></details>\n");
        }
    }

    private static void Tile(StringBuilder html, AppStatus app, DateTimeOffset now, bool expanded, StatusPageContext context)
    {
        var declared = context.Apps.GetValueOrDefault(app.Name);
        var sync = StatusVisuals.Of(app.SyncStatus);
        var health = StatusVisuals.Of(app.Health);
        var id = E(app.Name);
        html.Append(CultureInfo.InvariantCulture, $"<article class=\"tile tone-{StatusVisuals.ToneOf(app)}\" id=\"app-{id}\" data-app=\"{id}\" data-sync=\"{sync.Label}\" data-health=\"{health.Label}\">\n");

        html.Append("<div class=\"tile-head\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2 class=\"app-name\"><a href=\"/?app={Uri.EscapeDataString(app.Name)}#app-{id}\">{id}</a></h2>");
        if (IsSimulated(app))
        {
            html.Append("<span class=\"pill pill-sim\" title=\"This app targets Ferry's in-memory simulated cluster, not a real one\">simulated cluster</span>");
        }

        html.Append("</div>\n<div class=\"chips\">");
        Chip(html, "sync", sync);
        Chip(html, "health", health);
        html.Append("</div>\n");

        html.Append("<dl class=\"facts\">");
        Fact(html, "Revision", app.Revision is null
            ? "<span class=\"muted\">none yet</span>"
            : $"<code class=\"rev\" title=\"{E(app.Revision)}\">{E(ShortRevision(app.Revision))}</code>");
        var lastSync = LastSync(app);
        Fact(html, "Last sync", lastSync is null
            ? "<span class=\"muted\">never</span>"
            : $"<time datetime=\"{RelativeTime.Rfc3339(lastSync.Value)}\" title=\"{E(RelativeTime.Absolute(lastSync.Value))}\">{E(RelativeTime.Format(lastSync.Value, now))}</time> <span class=\"abs\">{E(RelativeTime.Absolute(lastSync.Value))}</span>");
        if (app.ReconciledAt is { } reconciled)
        {
            Fact(html, "Checked", $"<time datetime=\"{RelativeTime.Rfc3339(reconciled)}\" title=\"{E(RelativeTime.Absolute(reconciled))}\">{E(RelativeTime.Format(reconciled, now))}</time>");
        }

        Fact(html, "Target", Target(app));
        Fact(html, "Destination", Destination(app));
        if (declared is not null)
        {
            Fact(html, "Sync policy", $"<span data-testid=\"sync-policy\">{E(PolicyText(declared.SyncPolicy))}</span>");
        }

        html.Append("</dl>\n");
        if (context.ActionsEnabled && declared is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"actions\"><button type=\"button\" class=\"btn\" data-action=\"sync\" data-app=\"{id}\">Sync</button><button type=\"button\" class=\"btn\" data-action=\"refresh\" data-app=\"{id}\">Refresh</button><span class=\"action-result\" id=\"action-{id}\" data-keep role=\"status\"></span></div>\n");
        }

        if (app.Operation is { } operation)
        {
            var phase = StatusVisuals.Of(operation.Phase);
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"op tone-{phase.Tone}\" data-testid=\"operation\">{phase.IconSvg}<span><b>{phase.Label}</b>");
            if (!string.IsNullOrEmpty(operation.Message))
            {
                html.Append(CultureInfo.InvariantCulture, $" — {E(operation.Message)}");
            }

            html.Append("</span></p>\n");
        }

        if (!string.IsNullOrEmpty(app.HealthMessage))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note tone-{health.Tone}\">{E(app.HealthMessage)}</p>\n");
        }

        foreach (var condition in app.Conditions.OrderBy(c => c.Type, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"condition\"><b>{E(condition.Type)}</b> {E(condition.Message)}</p>\n");
        }

        foreach (var window in app.ActiveSyncWindows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"condition sync-window\"><b>Sync window open</b> {E(window)}</p>\n");
        }

        Details(html, app, now, expanded, context.ActionsEnabled && declared is not null ? declared.SyncPolicy?.Automated is null : null, declared?.Source.RepoUrl);
        html.Append("</article>\n");
    }

    /// <summary>The app's details; <paramref name="rollback"/> is null without actions, else whether rollback is allowed (automated sync off).</summary>
    private static void Details(StringBuilder html, AppStatus app, DateTimeOffset now, bool expanded, bool? rollback, string? declaredRepo)
    {
        var id = E(app.Name);
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"more\" id=\"details-{id}\"{(expanded ? " open" : string.Empty)}>");
        html.Append(CultureInfo.InvariantCulture, $"<summary>Details <span class=\"muted\">· {app.Resources.Count} {(app.Resources.Count == 1 ? "resource" : "resources")} · {app.History.Count} in history{(string.IsNullOrEmpty(app.LastDiff) ? string.Empty : " · diff")}</span></summary>\n");

        html.Append(CultureInfo.InvariantCulture, $"<section class=\"block\"><h3>Resource tree</h3><div class=\"tree\" id=\"tree-{id}\" data-tree=\"{id}\" data-keep data-testid=\"tree\"><p class=\"muted\">Open to read the live objects from the cluster…</p></div>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"panel\" id=\"panel-{id}\" data-keep data-testid=\"resource-panel\"></div></section>\n");
        html.Append("<section class=\"block\"><h3>Resources</h3>");
        if (app.Resources.Count == 0)
        {
            html.Append("<p class=\"muted\">No resources recorded.</p>");
        }
        else
        {
            html.Append("<div class=\"table-wrap\"><table class=\"resources\"><thead><tr><th>Kind</th><th>Namespace / name</th><th>Status</th><th>Health</th><th>Last action</th><th>Message</th></tr></thead><tbody>\n");
            foreach (var resource in app.Resources)
            {
                var status = StatusVisuals.Of(resource.Status);
                html.Append(CultureInfo.InvariantCulture, $"<tr data-kind=\"{E(resource.Kind)}\" data-name=\"{E(resource.Name)}\">");
                html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"kind\">{E(resource.Kind)}</span>{(resource.HookPhase is null ? string.Empty : $" <span class=\"pill\">{E(resource.HookPhase)} hook</span>")}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"mono\">{(resource.Namespace.Length == 0 ? string.Empty : $"<span class=\"muted\">{E(resource.Namespace)}/</span>")}{E(resource.Name)}</td>");
                html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"state tone-{status.Tone}\">{status.IconSvg}{status.Label}</span></td>");
                if (resource.Health is { } code)
                {
                    var health = StatusVisuals.Of(code);
                    html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"state tone-{health.Tone}\">{health.IconSvg}{health.Label}</span></td>");
                }
                else
                {
                    html.Append("<td><span class=\"muted\">—</span></td>");
                }

                html.Append(CultureInfo.InvariantCulture, $"<td><span class=\"action action-{resource.Action.ToString().ToLowerInvariant()}\">{E(ActionLabel(resource.Action))}</span></td>");
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"msg\">{E(resource.Message ?? string.Empty)}</td></tr>\n");
            }

            html.Append("</tbody></table></div>");
        }

        html.Append("</section>\n");

        html.Append("<section class=\"block\"><h3>Last diff</h3>");
        if (string.IsNullOrEmpty(app.LastDiff))
        {
            html.Append("<p class=\"muted\">No differences recorded.</p>");
        }
        else
        {
            html.Append("<pre class=\"diff\" data-testid=\"diff\">");
            foreach (var line in app.LastDiff.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
            {
                // Each line is a block; a newline between them would render as an empty line inside <pre>.
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"{DiffLineClass(line)}\">{E(line)}</span>");
            }

            html.Append("</pre>");
        }

        html.Append("</section>\n");

        if (app.Operation is { StageMilliseconds.Count: > 0 } operation)
        {
            html.Append("<section class=\"block\"><h3>Last operation</h3><ul class=\"stages\">");
            foreach (var (stage, ms) in operation.StageMilliseconds.OrderBy(s => StageRank(s.Key)).ThenBy(s => s.Key, StringComparer.Ordinal))
            {
                html.Append(CultureInfo.InvariantCulture, $"<li><span>{E(stage)}</span><b>{ms.ToString("0.#", CultureInfo.InvariantCulture)} ms</b></li>");
            }

            html.Append("</ul></section>\n");
        }

        html.Append("<section class=\"block\"><h3>History</h3>");
        if (app.History.Count == 0)
        {
            html.Append("<p class=\"muted\">No successful syncs yet.</p>");
        }
        else
        {
            html.Append("<ol class=\"history\">");
            var ordered = app.History.OrderBy(h => h.Id).ToList();
            for (var i = ordered.Count - 1; i >= 0; i--)
            {
                var entry = ordered[i];
                var link = CommitLink(entry.RepoUrl ?? declaredRepo, entry.Revision);
                var revision = $"<code class=\"rev\" title=\"{E(entry.Revision)}\">{E(ShortRevision(entry.Revision))}</code>";
                html.Append(CultureInfo.InvariantCulture, $"<li data-history=\"{entry.Id}\"><span class=\"hid\">#{entry.Id}</span>{(link is null ? revision : $"<a href=\"{E(link)}\" rel=\"noopener noreferrer\" target=\"_blank\">{revision}</a>")}");
                html.Append(CultureInfo.InvariantCulture, $"<time datetime=\"{RelativeTime.Rfc3339(entry.DeployedAt)}\" title=\"{E(RelativeTime.Absolute(entry.DeployedAt))}\">{E(RelativeTime.Format(entry.DeployedAt, now))}</time>");
                html.Append(CultureInfo.InvariantCulture, $"<span class=\"pill\">{E(HistoryLabel(entry, i == 0 ? null : ordered[i - 1]))}</span>");
                if (entry.CommitMessage is { Length: > 0 } message)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<span class=\"commit-msg\">{E(message)}</span>");
                }

                if (entry.CommitAuthor is { Length: > 0 } author)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<span class=\"muted commit-author\">{E(author)}</span>");
                }

                if (rollback is not null && i < ordered.Count - 1)
                {
                    html.Append(rollback.Value
                        ? $"<button type=\"button\" class=\"btn btn-small\" data-action=\"rollback\" data-app=\"{id}\" data-id=\"{entry.Id}\">Roll back</button>"
                        : "<button type=\"button\" class=\"btn btn-small\" disabled title=\"Rollback is refused while automated sync is on (it would sync straight back)\">Roll back</button>");
                }

                html.Append("</li>");
            }

            html.Append("</ol>");
        }

        html.Append("</section>\n</details>\n");
    }

    private static void Chip(StringBuilder html, string what, StatusVisual visual) =>
        html.Append(CultureInfo.InvariantCulture, $"<span class=\"chip tone-{visual.Tone}\" data-testid=\"{what}\" title=\"{(what == "sync" ? "Sync status" : "Health")}: {visual.Label}\">{visual.IconSvg}{visual.Label}</span>");

    private static void Fact(StringBuilder html, string term, string valueHtml) =>
        html.Append(CultureInfo.InvariantCulture, $"<div><dt>{term}</dt><dd>{valueHtml}</dd></div>");

    private static string Destination(AppStatus app)
    {
        var spec = app.Spec;
        var cluster = spec?.DestinationName ?? spec?.DestinationServer;
        var ns = spec?.DestinationNamespace;
        if (cluster is null && ns is null)
        {
            return "<span class=\"muted\">unknown</span>";
        }

        return $"<span data-testid=\"destination\">{(ns is null ? "<span class=\"muted\">no default namespace</span>" : $"namespace <code>{E(ns)}</code>")}{(cluster is null ? string.Empty : $" <span class=\"muted\">on</span> <span class=\"src\">{E(cluster)}</span>")}</span>";
    }

    private static string PolicyText(Ferry.Core.Apps.SyncPolicy? policy)
    {
        if (policy?.Automated is not { } automated)
        {
            return "manual";
        }

        var flags = new List<string>();
        if (automated.Prune) flags.Add("prune");
        if (automated.SelfHeal) flags.Add("self-heal");
        if (automated.AllowEmpty) flags.Add("allow empty");
        return flags.Count == 0 ? "automated" : $"automated ({string.Join(", ", flags)})";
    }

    /// <summary>Why a sync ran, as people say it: a drift-check sync of a new commit is the app's automated sync, not drift.</summary>
    private static string HistoryLabel(HistoryEntry entry, HistoryEntry? before) => entry.Reason switch
    {
        "drift" when before is null || !string.Equals(before.Revision, entry.Revision, StringComparison.OrdinalIgnoreCase) => before is null ? "first sync (automated)" : "automated sync",
        "drift" => "self-heal",
        "manual" => "manual sync",
        "webhook" => "push",
        null => before is null ? "first sync" : "sync",
        _ => entry.Reason,
    };

    /// <summary>The commit's page on GitHub for a github.com repository URL (https or git@), else null.</summary>
    private static string? CommitLink(string? repoUrl, string revision)
    {
        if (repoUrl is null || revision.Length < 7 || !revision.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        var url = repoUrl.Trim();
        if (url.StartsWith("git@github.com:", StringComparison.OrdinalIgnoreCase))
        {
            url = "https://github.com/" + url["git@github.com:".Length..];
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.Equals(uri.Host, "github.com", StringComparison.OrdinalIgnoreCase)
            || uri.Scheme is not ("https" or "http" or "ssh"))
        {
            return null;
        }

        var path = uri.AbsolutePath.Trim('/');
        path = path.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? path[..^4] : path;
        return path.Count(c => c == '/') == 1 ? $"https://github.com/{path}/commit/{revision}" : null;
    }

    /// <summary>The pipeline's order: resolve → fetch → render → sync (plan → diff → apply → prune → health); anything else after.</summary>
    private static int StageRank(string stage)
    {
        var name = stage.StartsWith("sync.", StringComparison.Ordinal) ? stage[5..] : stage;
        var rank = Array.IndexOf(PipelineStages, name);
        return rank < 0 ? PipelineStages.Length : rank;
    }

    private static readonly string[] PipelineStages = ["resolve", "fetch", "render", "sync", "plan", "diff", "apply", "prune", "health"];

    private static string Target(AppStatus app)
    {
        var cluster = app.Cluster is null ? "<span class=\"muted\">unknown cluster</span>" : E(app.Cluster);
        var source = app.Source is null ? string.Empty : $" <span class=\"muted\">from</span> <span class=\"src\">{E(app.Source)}</span>";
        return cluster + source;
    }

    private static bool IsSimulated(AppStatus app) =>
        app.Cluster?.Contains("simulat", StringComparison.OrdinalIgnoreCase) == true;

    private static DateTimeOffset? LastSync(AppStatus app) =>
        app.Operation?.FinishedAt ?? app.Operation?.StartedAt ?? (app.History.Count > 0 ? app.History[^1].DeployedAt : null);

    private static string ShortRevision(string revision) =>
        revision.Length > 7 && revision.All(char.IsAsciiHexDigit) ? revision[..7] : revision;

    private static string ActionLabel(ResourceAction action) => action switch
    {
        ResourceAction.PruneSkipped => "prune skipped",
        ResourceAction.OutOfSync => "out of sync",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static string DiffLineClass(string line)
    {
        if (line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("diff ", StringComparison.Ordinal))
        {
            return "d-file";
        }

        return line.Length == 0 ? "d-ctx" : line[0] switch
        {
            '+' => "d-add",
            '-' => "d-del",
            '@' => "d-hunk",
            _ => "d-ctx",
        };
    }

    private static string E(string text) => Encoder.Encode(text);
}
