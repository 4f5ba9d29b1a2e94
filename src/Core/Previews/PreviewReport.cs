using System.Globalization;
using System.Text;
using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Status;

namespace Ferry.Core.Previews;

/// <summary>The check run's output for a pull request preview: a title, and a Markdown summary with each app's changed objects and diff, within GitHub's limit.</summary>
public static class PreviewReport
{
    /// <summary>GitHub's limit on a check run output's summary (characters).</summary>
    public const int MaxSummaryLength = 65535;

    /// <summary>The check run's conclusion: <c>failure</c> when an app could not be rendered or dry-run, else <c>success</c>.</summary>
    public static string Conclusion(IReadOnlyList<AppPreview> previews) => previews.Any(p => p.Error is not null) ? "failure" : "success";

    /// <summary>One line saying what the pull request would do to the cluster.</summary>
    public static string Title(IReadOnlyList<AppPreview> previews)
    {
        var failed = previews.Count(p => p.Error is not null);
        if (failed > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{failed} of {previews.Count} app(s) failed to render or dry-run");
        }

        var objects = previews.Sum(p => p.Changed.Count);
        var apps = previews.Count(p => p.Changed.Count > 0);
        return objects == 0
            ? string.Create(CultureInfo.InvariantCulture, $"No change to the live cluster ({previews.Count} app(s) compared)")
            : string.Create(CultureInfo.InvariantCulture, $"{objects} object(s) change in {apps} app(s)");
    }

    /// <summary>The Markdown summary, cut to <paramref name="limit"/> characters at a line boundary with a note (and a closed code block) when longer.</summary>
    public static string Summary(PullRequestRef pull, IReadOnlyList<AppPreview> previews, int limit = MaxSummaryLength)
    {
        ArgumentNullException.ThrowIfNull(pull);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Ferry rendered `{Short(pull.HeadSha)}` (the head of #{pull.Number}) for each app whose files this pull request changes, ")
            .Append("and compared it with the live cluster through a server-side dry run. Nothing was applied; Secret values are masked.\n");
        foreach (var preview in previews.OrderBy(p => p.App, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n### `{preview.App}`");
            if (preview.Error is not null)
            {
                text.Append(" — failed\n\n").Append(Quote(preview.Error)).Append('\n');
                continue;
            }

            if (preview.Changed.Count == 0)
            {
                text.Append(" — no change\n");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $" — {preview.Changed.Count} object(s) change\n\n| action | kind | namespace | name |\n|---|---|---|---|\n");
            foreach (var resource in preview.Changed)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {ActionOf(resource)} | {Cell(resource.Kind)} | {Cell(resource.Namespace)} | {Cell(resource.Name)} |\n");
            }

            if (preview.Diff.Length > 0)
            {
                text.Append("\n```diff\n").Append(preview.Diff.Replace("```", "`\u200b``", StringComparison.Ordinal).TrimEnd('\n')).Append("\n```\n");
            }
        }

        return Truncate(text.ToString(), limit);
    }

    private static string Truncate(string text, int limit)
    {
        if (text.Length <= limit)
        {
            return text;
        }

        const string Note = "\n\n… the preview is longer than GitHub's check run summary allows and was cut here; `ferry diff <app>` prints it whole.\n";
        var cut = text[..Math.Max(0, limit - Note.Length - 8)];
        var newline = cut.LastIndexOf('\n');
        cut = newline > 0 ? cut[..newline] : cut;
        var fences = 0;
        for (var i = cut.IndexOf("```", StringComparison.Ordinal); i >= 0; i = cut.IndexOf("```", i + 3, StringComparison.Ordinal))
        {
            fences++;
        }

        return cut + (fences % 2 == 1 ? "\n```" : string.Empty) + Note;
    }

    private static string ActionOf(ResourceStatus resource) => resource.Action switch
    {
        _ when resource.Message == "requires pruning" => "prune",
        ResourceAction.OutOfSync or ResourceAction.Created when resource.Health == HealthStatusCode.Missing => "create",
        ResourceAction.OutOfSync or ResourceAction.Configured => "update",
        ResourceAction.Created => "create",
        ResourceAction.Pruned => "prune",
        ResourceAction.PruneSkipped => "prune (skipped: prune is off)",
        _ => resource.Action.ToString().ToLowerInvariant(),
    };

    private static string Cell(string text) => text.Length == 0 ? "—" : text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Quote(string text) => string.Join('\n', text.Split('\n').Select(l => "> " + l));

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
