using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Notifications;
using Ferry.Core.Status;

namespace Ferry.Core.Tests.Notifications;

public sealed class NotifierTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public async Task Reconciled_SyncSucceededAndHealthy_SendsSucceededAndDeployedInEachFormat()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var notifier = Create(receiver,
            Target(receiver, "generic", NotificationFormat.Generic),
            Target(receiver, "slack", NotificationFormat.Slack),
            Target(receiver, "teams", NotificationFormat.Teams));

        notifier.Reconciled(Synced(HealthStatusCode.Healthy));
        await notifier.FlushAsync(CancellationToken.None);

        var generic = receiver.Received.Where(r => r.Path == "/generic").Select(r => r.Body).ToList();
        Assert.Equal(["on-sync-succeeded", "on-deployed"], generic.Select(b => (string?)b["trigger"]));
        Assert.Equal("guestbook", (string?)generic[0]["app"]);
        Assert.Equal(Sha, (string?)generic[0]["revision"]);
        Assert.Equal("Healthy", (string?)generic[0]["healthStatus"]);
        var slack = receiver.Received.First(r => r.Path == "/slack").Body;
        Assert.Equal("guestbook synced to 0123456: applied 3 object(s)", (string?)slack["text"]);
        Assert.Equal("#18BE52", (string?)slack["attachments"]![0]!["color"]);
        var teams = receiver.Received.First(r => r.Path == "/teams").Body;
        Assert.Equal("MessageCard", (string?)teams["@type"]);
        Assert.Equal("guestbook synced to 0123456", (string?)teams["title"]);
        Assert.Contains(teams["sections"]![0]!["facts"]!.AsArray(), f => (string?)f!["name"] == "Revision" && (string?)f["value"] == Sha);
    }

    [Fact]
    public async Task Reconciled_DeployedOnlyOncePerSync_WhenHealthArrivesLater()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var notifier = Create(receiver, Target(receiver, "hook", NotificationFormat.Generic, NotificationTrigger.Deployed));

        foreach (var reconcile in Chain(Synced(HealthStatusCode.Progressing), Refreshed(HealthStatusCode.Progressing), Refreshed(HealthStatusCode.Healthy), Refreshed(HealthStatusCode.Healthy)))
        {
            notifier.Reconciled(reconcile);
        }
        await notifier.FlushAsync(CancellationToken.None);

        Assert.Equal(["on-deployed"], receiver.Received.Select(r => (string?)r.Body["trigger"]));
    }

    [Fact]
    public async Task Reconciled_SyncFailedAndDegraded_SendsOnlyTheSubscribedTriggers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var notifier = Create(receiver, Target(receiver, "ops", NotificationFormat.Generic, NotificationTrigger.SyncFailed, NotificationTrigger.HealthDegraded));

        foreach (var reconcile in Chain(Synced(HealthStatusCode.Degraded, OperationPhase.Failed, "PreSync hook Job.batch/demo/migrate failed: boom"), Refreshed(HealthStatusCode.Degraded)))
        {
            notifier.Reconciled(reconcile);
        }
        await notifier.FlushAsync(CancellationToken.None);

        var triggers = receiver.Received.Select(r => ((string?)r.Body["trigger"], (string?)r.Body["message"])).ToList();
        Assert.Equal([("on-sync-failed", "PreSync hook Job.batch/demo/migrate failed: boom"), ("on-health-degraded", "Deployment.apps/demo/web: progress deadline exceeded")], triggers);
    }

    [Fact]
    public async Task Deliver_ServerErrors_AreRetriedAndClientErrorsAreNot()
    {
        await using var flaky = await WebhookReceiver.StartAsync(503, 500);
        await using var refusing = await WebhookReceiver.StartAsync(404);
        await using var notifier = new Notifier(
            new NotificationSettings
            {
                Webhooks = [Target(flaky, "flaky", NotificationFormat.Generic), Target(refusing, "gone", NotificationFormat.Generic)],
                RetryDelay = TimeSpan.FromMilliseconds(5),
            },
            (_, _) => Task.FromResult<string?>(null));

        notifier.Reconciled(Synced(HealthStatusCode.Progressing));
        await notifier.FlushAsync(CancellationToken.None);

        Assert.Equal([503, 500, 200], flaky.Received.Select(r => r.Answered));
        Assert.Equal([404], refusing.Received.Select(r => r.Answered));
    }

    [Fact]
    public async Task GitHubStatus_PendingWhenASyncStartsThenSuccessOrFailure()
    {
        await using var github = await WebhookReceiver.StartAsync();
        await using var notifier = new Notifier(
            new NotificationSettings { GitHub = new GitHubStatusSettings { Token = "ghp_secret", ApiUrl = github.Url("/api/v3/"), TargetUrl = "https://ferry.example.com/apps/{app}" } },
            (app, _) => Task.FromResult<string?>(app == "guestbook" ? "https://github.com/Example/Guestbook.git" : "https://gitlab.com/x/y"));

        notifier.DriftDetected(new DriftEvent("guestbook", Sha, ["Deployment/demo/web"], WillSync: true));
        notifier.Reconciled(Synced(HealthStatusCode.Healthy));
        notifier.Reconciled(Synced(HealthStatusCode.Degraded, OperationPhase.Failed, "apply failed"));
        notifier.DriftDetected(new DriftEvent("elsewhere", Sha, ["x"], WillSync: true));
        await notifier.FlushAsync(CancellationToken.None);

        var posts = github.Received.ToList();
        Assert.Equal(["pending", "success", "failure"], posts.Select(p => (string?)p.Body["state"]));
        Assert.All(posts, p =>
        {
            Assert.Equal($"/api/v3/repos/example/guestbook/statuses/{Sha}", p.Path);
            Assert.Equal("ferry/guestbook", (string?)p.Body["context"]);
            Assert.Equal("Bearer ghp_secret", p.Headers["Authorization"]);
            Assert.Equal("https://ferry.example.com/apps/guestbook", (string?)p.Body["target_url"]);
        });
    }

    [Fact]
    public async Task Settings_FromFileAndEnvironment_ResolveSecretsByVariable()
    {
        var env = new Dictionary<string, string?> { ["SLACK_URL"] = "https://hooks.slack.com/services/T/B/secret", ["FERRY_GITHUB_TOKEN"] = "ghp_env" };
        var file = Path.Combine(Path.GetTempPath(), $"ferry-notify-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            webhooks:
            - name: ops
              urlFromEnv: SLACK_URL
              format: slack
              triggers: [on-sync-failed, on-health-degraded]
            - name: audit
              url: https://audit.example.com/ferry
            retry: {attempts: 2, delay: 500ms}
            """);
        env["FERRY_NOTIFICATIONS"] = file;
        try
        {
            var settings = await NotificationSettingsLoader.FromEnvironmentAsync(k => env.GetValueOrDefault(k), CancellationToken.None);

            Assert.Equal(["ops (Slack)", "audit (Generic)"], settings.Webhooks.Select(w => w.ToString()));
            Assert.Equal([NotificationTrigger.SyncFailed, NotificationTrigger.HealthDegraded], settings.Webhooks[0].Triggers);
            Assert.Equal(4, settings.Webhooks[1].Triggers.Count);
            Assert.Equal("ghp_env", settings.GitHub!.Token);
            Assert.Equal(2, settings.MaxAttempts);
            Assert.Equal(TimeSpan.FromMilliseconds(500), settings.RetryDelay);
            Assert.DoesNotContain("secret", settings.Webhooks[0].ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("ghp_env", settings.GitHub.ToString(), StringComparison.Ordinal);

            var missing = Assert.Throws<FormatException>(() => NotificationSettingsLoader.Parse("webhooks:\n- urlFromEnv: NOPE\n", "n.yaml", _ => null));
            Assert.Equal("n.yaml: webhooks[0].urlFromEnv: environment variable NOPE is not set", missing.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Notifier Create(WebhookReceiver receiver, params WebhookTarget[] targets) =>
        new(new NotificationSettings { Webhooks = targets, RetryDelay = TimeSpan.FromMilliseconds(5) }, (_, _) => Task.FromResult<string?>(null));

    private static WebhookTarget Target(WebhookReceiver receiver, string name, NotificationFormat format, params NotificationTrigger[] triggers) => new()
    {
        Name = name,
        Url = receiver.Url(name),
        Format = format,
        Triggers = triggers.Length == 0 ? Enum.GetValues<NotificationTrigger>() : triggers,
    };

    /// <summary>Each event with the one before's status as its previous status, as the pipeline reports them.</summary>
    private static IEnumerable<ReconcileEvent> Chain(params ReconcileEvent[] events)
    {
        AppStatus? previous = null;
        foreach (var reconcile in events)
        {
            yield return reconcile with { Previous = previous };
            previous = reconcile.Status;
        }
    }

    private static ReconcileEvent Synced(HealthStatusCode health, OperationPhase phase = OperationPhase.Succeeded, string message = "applied 3 object(s)") =>
        new(new ReconcileRequest { App = "guestbook", Mode = ReconcileMode.Sync }, Status(health, phase, message), Applied: true, TimeSpan.FromSeconds(1));

    private static ReconcileEvent Refreshed(HealthStatusCode health) =>
        new(new ReconcileRequest { App = "guestbook" }, Status(health, OperationPhase.Succeeded, "applied 3 object(s)"), Applied: false, TimeSpan.FromSeconds(1));

    private static AppStatus Status(HealthStatusCode health, OperationPhase phase, string message) => new()
    {
        Name = "guestbook",
        SyncStatus = phase == OperationPhase.Succeeded ? SyncStatusCode.Synced : SyncStatusCode.OutOfSync,
        Revision = Sha,
        Health = health,
        HealthMessage = health == HealthStatusCode.Degraded ? "Deployment.apps/demo/web: progress deadline exceeded" : null,
        Operation = new OperationState { Phase = phase, Message = message, Revision = Sha, Reason = "webhook" },
        History = phase == OperationPhase.Succeeded ? [new HistoryEntry { Id = 7, Revision = Sha, DeployedAt = DateTimeOffset.UnixEpoch, HealthyAt = health == HealthStatusCode.Healthy ? DateTimeOffset.UnixEpoch : null, RepoUrl = "https://github.com/example/guestbook", Path = "." }] : [],
    };
}
