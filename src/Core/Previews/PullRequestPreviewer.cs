using Ferry.Core.Jobs;
using Ferry.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Octokit;

namespace Ferry.Core.Previews;

/// <summary>
/// A pull request preview, beyond Argo CD and Flux: finds the apps whose files the pull request changes (GitHub's list of
/// its files, matched like a push: the app's path, or its <c>manifest-generate-paths</c>, and <c>$ref</c> value files),
/// renders each at the pull request's head, diffs it against the live cluster with a server-side dry run, and reports a
/// check run <c>ferry/preview</c> on the head commit: created <c>in_progress</c>, then completed with the objects that
/// would change and the diff. Never applies anything. A pull request to a repository some app follows that touches no
/// app's files gets a completed <c>neutral</c> check run saying so (so branch protection may require the check).
/// </summary>
public sealed partial class PullRequestPreviewer(ICatalogProvider catalogs, AppReconciler reconciler, IGitHubClient github, TimeProvider? time = null,
    ILogger<PullRequestPreviewer>? logger = null)
{
    /// <summary>The check run's name.</summary>
    public const string CheckName = "ferry/preview";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Previews one pull request and reports it; a GitHub API failure that may pass is not completed, so the job is retried.</summary>
    public async Task<ReconcileOutcome> RunAsync(PullRequestRef pull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pull);
        var subject = $"{pull.Repository}#{pull.Number}@{Short(pull.HeadSha)}";
        if (pull.Repository.Split('/') is not [var owner, var name] || owner.Length == 0 || name.Length == 0)
        {
            return new ReconcileOutcome { Summary = $"preview {subject}: '{pull.Repository}' is not owner/name; nothing to do" };
        }

        var catalog = await catalogs.GetAsync(cancellationToken);
        var followers = catalog.Applications
            .Where(app => app.AllSources.Any(s => s.ChartLocation is null && WebhookRepoUrl.AreSame(s.RepoUrl, pull.RepoUrl)))
            .OrderBy(app => app.Name, StringComparer.Ordinal)
            .ToList();
        if (followers.Count == 0)
        {
            return new ReconcileOutcome { Summary = $"preview {subject}: no app follows {pull.RepoUrl}; no check run" };
        }

        try
        {
            var files = await github.PullRequest.Files(owner, name, pull.Number);
            var changed = files.SelectMany(f => new[] { f.FileName, f.PreviousFileName }).OfType<string>().Where(f => f.Length > 0)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var push = new GitHubPush
            {
                Ref = "refs/heads/" + pull.BaseRef,
                After = pull.HeadSha,
                Repository = new GitHubRepository { HtmlUrl = pull.RepoUrl, DefaultBranch = pull.DefaultBranch },
                ChangedFiles = changed,
            };
            var touched = followers.Where(app => Touches(app, push, pull.RepoUrl)).ToList();
            if (touched.Count == 0)
            {
                await github.Check.Run.Create(owner, name, new NewCheckRun(CheckName, pull.HeadSha)
                {
                    Status = CheckStatus.Completed,
                    Conclusion = CheckConclusion.Neutral,
                    StartedAt = _time.GetUtcNow(),
                    CompletedAt = _time.GetUtcNow(),
                    Output = new NewCheckRunOutput("No Ferry app affected",
                        $"This pull request changes {changed.Count} file(s), none of them an input of the apps that follow this repository into `{pull.BaseRef}` "
                        + $"({string.Join(", ", followers.Select(a => $"`{a.Name}`"))}). Nothing to preview."),
                });
                LogUntouched(_logger, subject, changed.Count);
                return new ReconcileOutcome { Summary = $"preview {subject}: no app's files changed; neutral check run" };
            }

            var run = await github.Check.Run.Create(owner, name, new NewCheckRun(CheckName, pull.HeadSha)
            {
                Status = CheckStatus.InProgress,
                StartedAt = _time.GetUtcNow(),
                Output = new NewCheckRunOutput("Rendering the pull request's head", $"Comparing {touched.Count} app(s) with the live cluster: {string.Join(", ", touched.Select(a => $"`{a.Name}`"))}."),
            });

            var previews = new List<AppPreview>(touched.Count);
            foreach (var app in touched)
            {
                // The pull request's own repository is rendered at its head; every other source at its target, as a sync would.
                previews.Add(await reconciler.PreviewAsync(app, s => s.ChartLocation is null && WebhookRepoUrl.AreSame(s.RepoUrl, pull.RepoUrl) ? pull.HeadSha : null, cancellationToken));
            }

            var conclusion = PreviewReport.Conclusion(previews);
            await github.Check.Run.Update(owner, name, run.Id, new CheckRunUpdate
            {
                Status = CheckStatus.Completed,
                Conclusion = conclusion == "failure" ? CheckConclusion.Failure : CheckConclusion.Success,
                CompletedAt = _time.GetUtcNow(),
                Output = new NewCheckRunOutput(PreviewReport.Title(previews), PreviewReport.Summary(pull, previews)),
            });
            var title = PreviewReport.Title(previews);
            LogPreviewed(_logger, subject, conclusion, title);
            var transient = previews.Any(p => p.Transient);
            return new ReconcileOutcome
            {
                Summary = $"preview {subject}: {conclusion}: {title}",
                // A preview that failed only because Git or the cluster was unreachable is run again (a new check run supersedes this one).
                Completed = !transient,
                RetryAfter = transient ? TimeSpan.FromSeconds(30) : null,
            };
        }
        catch (ApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // Retrying cannot fix a refused token or a missing permission (check runs need a GitHub App token with checks:write).
            LogGitHubRefused(_logger, subject, (int)ex.StatusCode, ex.Message);
            return new ReconcileOutcome { Summary = $"preview {subject}: GitHub refused the request (HTTP {(int)ex.StatusCode}): {ex.Message}" };
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            LogGitHubFailed(_logger, subject, ex.Message);
            return new ReconcileOutcome { Completed = false, RetryAfter = TimeSpan.FromSeconds(30), Summary = $"preview {subject}: GitHub could not be reached: {ex.Message}" };
        }
    }

    /// <summary>
    /// Whether the pull request changes one of the app's inputs in its repository: under a rendering source's path (or its
    /// <c>manifest-generate-paths</c>), or a <c>$ref</c> value file of a ref source, on the branch the app follows.
    /// </summary>
    internal static bool Touches(Apps.Application app, GitHubPush push, string repoUrl)
    {
        var annotation = app.Annotations.GetValueOrDefault(PushMatcher.ManifestGeneratePathsAnnotation);
        foreach (var source in app.AllSources.Where(s => s.ChartLocation is null && WebhookRepoUrl.AreSame(s.RepoUrl, repoUrl)))
        {
            string paths;
            if (source.RendersManifests)
            {
                paths = string.IsNullOrWhiteSpace(annotation) ? "." : annotation;
            }
            else
            {
                var files = app.AllSources.SelectMany(s => s.Helm?.ValueFiles ?? [])
                    .Where(f => f.StartsWith($"${source.Ref}/", StringComparison.Ordinal))
                    .Select(f => "/" + f[(source.Ref!.Length + 2)..])
                    .ToList();
                if (files.Count == 0)
                {
                    continue;
                }

                paths = string.Join(';', files);
            }

            if (PushMatcher.Match(push, source.RepoUrl, source.TargetRevision, source.RendersManifests ? source.Path : ".", paths).IsMatch)
            {
                return true;
            }
        }

        return false;
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    [LoggerMessage(Level = LogLevel.Information, Message = "Preview {PullRequest}: {Conclusion}: {Title}")]
    private static partial void LogPreviewed(ILogger logger, string pullRequest, string conclusion, string title);

    [LoggerMessage(Level = LogLevel.Information, Message = "Preview {PullRequest}: none of its {Files} changed file(s) is an app's input; neutral check run")]
    private static partial void LogUntouched(ILogger logger, string pullRequest, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preview {PullRequest}: GitHub refused the request (HTTP {Status}): {Reason}")]
    private static partial void LogGitHubRefused(ILogger logger, string pullRequest, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preview {PullRequest}: GitHub could not be reached: {Reason}")]
    private static partial void LogGitHubFailed(ILogger logger, string pullRequest, string reason);
}
