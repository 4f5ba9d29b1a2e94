using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Jobs;
using Ferry.Core.Previews;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;
using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Previews;

/// <summary>
/// Issue 15, pull request previews: a signed <c>pull_request</c> delivery queues a preview; the worker renders the head commit of a
/// real Git repository for the apps whose files changed, dry-runs it against the simulated cluster, and reports a check run to a
/// fake of GitHub's API driven through Octokit. Nothing is ever applied.
/// </summary>
public sealed class PullRequestPreviewerTests : IAsyncLifetime
{
    private const string Secret = "webhook-secret-for-previews";
    private const string SecretValue = "cHJldmlldy1wYXNzd29yZA=="; // base64 of "preview-password"

    private PipelineHarness _h = null!;
    private FakeGitHubApi _github = null!;
    private Octokit.GitHubClient _client = null!;
    private string _base = null!;

    public async Task InitializeAsync()
    {
        _h = await PipelineHarness.StartAsync(new Dictionary<string, string>(PipelineHarness.Guestbook, StringComparer.Ordinal)
        {
            ["other/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  x: \"1\"\n",
            ["README.md"] = "# apps\n",
        });
        _github = await FakeGitHubApi.StartAsync();
        _client = new Octokit.GitHubClient(new Octokit.ProductHeaderValue("ferry"), _github.ApiUrl) { Credentials = new Octokit.Credentials(FakeGitHubApi.Token) };
        _h.WriteApplication("guestbook");
        _h.WriteApplication("other", path: "other");
        Assert.True((await _h.ReconcileAsync("guestbook", ReconcileMode.ForceSync)).Synced);
        Assert.True((await _h.ReconcileAsync("other", ReconcileMode.ForceSync)).Synced);
        _base = _h.Repo.Head();
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task PullRequestOpened_ChangesAnAppsFiles_ReportsInProgressThenSuccessWithTheMaskedDiffAndAppliesNothing()
    {
        var head = Branch("feature", new Dictionary<string, string>
        {
            ["guestbook/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: hola\n",
            ["guestbook/secret.yaml"] = $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {SecretValue}\n",
        });
        _github.PullRequestFiles[7] = ["guestbook/configmap.yaml", "guestbook/secret.yaml"];
        var before = await _h.StatusAsync("guestbook");

        var outcome = await DeliverAndRunAsync("opened", 7, head);

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Empty(_github.Violations);
        var calls = _github.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.Equal(["GET /api/v3/repos/acme/apps/pulls/7/files", "POST /api/v3/repos/acme/apps/check-runs", "PATCH /api/v3/repos/acme/apps/check-runs/1001"], calls);
        var created = _github.Requests.Single(r => r.Method == "POST").Body!;
        Assert.Equal(("ferry/preview", head, "in_progress"), ((string?)created["name"], (string?)created["head_sha"], (string?)created["status"]));
        var completed = _github.Requests.Single(r => r.Method == "PATCH").Body!;
        Assert.Equal(("completed", "success"), ((string?)completed["status"], (string?)completed["conclusion"]));
        Assert.Equal("2 object(s) change in 1 app(s)", (string?)completed["output"]!["title"]);
        var summary = (string)completed["output"]!["summary"]!;
        Assert.Contains("### `guestbook` — 2 object(s) change", summary, StringComparison.Ordinal);
        Assert.Contains("| create | Secret | demo | db |", summary, StringComparison.Ordinal);
        Assert.Contains("| update | ConfigMap | demo | settings |", summary, StringComparison.Ordinal);
        Assert.Contains("+  greeting: hola", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("other", summary, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, summary, StringComparison.Ordinal);
        Assert.DoesNotContain("preview-password", summary, StringComparison.Ordinal);

        // Nothing applied, nothing recorded: the cluster and the app's record are as the last sync left them.
        Assert.Equal("hello", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
        Assert.Null(_h.Server.GetObject("v1", "Secret", "demo", "db"));
        var after = await _h.StatusAsync("guestbook");
        Assert.Equal((before.Revision, before.ReconciledAt, before.Operation?.StartedAt, before.History.Count), (after.Revision, after.ReconciledAt, after.Operation?.StartedAt, after.History.Count));
    }

    [Fact]
    public async Task PullRequestSynchronize_HeadBreaksTheRender_CompletesWithFailureNamingTheFile()
    {
        var head = Branch("broken", new Dictionary<string, string> { ["guestbook/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: [oops\n" });
        _github.PullRequestFiles[8] = ["guestbook/configmap.yaml"];

        var outcome = await DeliverAndRunAsync("synchronize", 8, head);

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Empty(_github.Violations);
        var completed = _github.Requests.Single(r => r.Method == "PATCH").Body!;
        Assert.Equal("failure", (string?)completed["conclusion"]);
        Assert.Equal("1 of 1 app(s) failed to render or dry-run", (string?)completed["output"]!["title"]);
        Assert.Contains("> render failed: guestbook/configmap.yaml:", (string)completed["output"]!["summary"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullRequestOpened_TouchesNoAppsFiles_ReportsOneCompletedNeutralCheckRun()
    {
        var head = Branch("docs", new Dictionary<string, string> { ["README.md"] = "# apps, documented\n" });
        _github.PullRequestFiles[9] = ["README.md"];

        var outcome = await DeliverAndRunAsync("opened", 9, head);

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Empty(_github.Violations);
        var created = Assert.Single(_github.Requests, r => r.Method == "POST").Body!;
        Assert.Equal(("completed", "neutral", "No Ferry app affected"), ((string?)created["status"], (string?)created["conclusion"], (string?)created["output"]!["title"]));
        Assert.DoesNotContain(_github.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Intake_ClosedPullRequestOrUnfollowedRepository_QueuesNothing()
    {
        var queue = new InMemoryJobQueue();
        var intake = Intake(queue);

        var closed = await intake.HandleAsync(Headers("closed", 10, _base, _h.Repo.Url, out var body1), body1, CancellationToken.None);
        var elsewhere = await intake.HandleAsync(Headers("opened", 11, _base, "https://github.com/acme/unrelated", out var body2), body2, CancellationToken.None);

        Assert.Equal((202, "pull_request action 'closed' ignored"), (closed.StatusCode, closed.Message));
        Assert.Equal((202, "no app follows acme/apps; no preview"), (elsewhere.StatusCode, elsewhere.Message));
        Assert.Null(await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public void Summary_LongerThanGitHubAllows_IsCutAtALineWithTheCodeBlockClosed()
    {
        var diff = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"+  line{i}: {new string('x', 20)}"));
        var preview = new AppPreview
        {
            App = "big",
            Changed = [new ResourceStatus { Group = string.Empty, Version = "v1", Kind = "ConfigMap", Namespace = "demo", Name = "big", Status = SyncStatusCode.OutOfSync, Action = ResourceAction.Configured }],
            Diff = diff,
        };
        var pull = new PullRequestRef { Repository = "acme/apps", RepoUrl = "https://github.com/acme/apps", Number = 1, HeadSha = new string('a', 40), BaseRef = "main" };

        var summary = PreviewReport.Summary(pull, [preview]);

        Assert.True(summary.Length <= PreviewReport.MaxSummaryLength, $"{summary.Length} characters");
        Assert.Equal(0, (summary.Split("```").Length - 1) % 2);
        Assert.EndsWith("`ferry diff <app>` prints it whole.\n", summary, StringComparison.Ordinal);
        Assert.Contains("+  line0: ", summary, StringComparison.Ordinal);
    }

    private GitHubWebhookIntake Intake(InMemoryJobQueue queue) =>
        new(new DirectoryCatalogProvider(_h.AppsDirectory), queue, Secret, new DeliveryDeduplicator(TimeProvider.System), pullRequestPreviews: true);

    /// <summary>Sends the signed delivery GitHub would send, takes the queued job and runs it as the worker does.</summary>
    private async Task<ReconcileOutcome> DeliverAndRunAsync(string action, int number, string head)
    {
        var queue = new InMemoryJobQueue();
        var response = await Intake(queue).HandleAsync(Headers(action, number, head, _h.Repo.Url, out var body), body, CancellationToken.None);
        Assert.Equal((202, $"queued a preview of acme/apps#{number}"), (response.StatusCode, response.Message));
        var job = (await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!.Message;
        Assert.Equal(JobKind.Preview, job.Kind);
        var previewer = new PullRequestPreviewer(new DirectoryCatalogProvider(_h.AppsDirectory), _h.Reconciler, _client);
        return await new JobProcessor(_h.Reconciler, preview: previewer.RunAsync).ProcessAsync(JobMessage.Parse(job.ToJson()), CancellationToken.None);
    }

    /// <summary>Commits <paramref name="files"/> on a new branch off main (a pull request's head) and returns its SHA; main stays where it was.</summary>
    private string Branch(string name, IReadOnlyDictionary<string, string> files)
    {
        _h.Repo.Git("checkout", "-q", "-b", name);
        var sha = _h.Repo.Commit(files, $"change on {name}");
        _h.Repo.Git("checkout", "-q", "main");
        Assert.Equal(_base, _h.Repo.Head());
        return sha;
    }

    private static Func<string, string?> Headers(string action, int number, string head, string repoUrl, out byte[] body)
    {
        var payload = new JsonObject
        {
            ["action"] = action,
            ["number"] = number,
            ["pull_request"] = new JsonObject
            {
                ["number"] = number,
                ["state"] = "open",
                ["head"] = new JsonObject { ["ref"] = "feature", ["sha"] = head },
                ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = new string('0', 40) },
            },
            ["repository"] = new JsonObject { ["full_name"] = "acme/apps", ["html_url"] = repoUrl, ["clone_url"] = repoUrl, ["default_branch"] = "main" },
        };
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        body = bytes;
        var signature = GitHubSignature.Compute(bytes, Secret);
        var delivery = Guid.NewGuid().ToString();
        return name => name switch
        {
            GitHubHeaders.Event => "pull_request",
            GitHubHeaders.Delivery => delivery,
            GitHubHeaders.Signature256 => signature,
            _ => null,
        };
    }
}
