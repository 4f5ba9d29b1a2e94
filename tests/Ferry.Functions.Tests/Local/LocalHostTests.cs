using Ferry.Cli.Local;
using Ferry.Core.Jobs;
using Ferry.Core.Tests.Git;
using Ferry.Core.Webhooks;
using Ferry.Functions.Composition;

namespace Ferry.Functions.Tests.Local;

/// <summary>The local host in process: what it does on its own, with no webhook and no timer tick.</summary>
public sealed class LocalHostTests : IDisposable
{
    private const string RepoUrl = "https://github.com/acme/restart";
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp = new();
    private readonly TestGitRepository _repo = TestGitRepository.Create(new Dictionary<string, string>
    {
        ["app/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: restart\ndata:\n  k: v\n",
    });

    [Fact]
    public async Task Start_QueuesARefreshOfEveryApp_SoAfterACrashItConvergesWithoutWaitingForTheTimer()
    {
        _temp.Write("apps/restart.yaml", $$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: lh-restart
            spec:
              source: { repoURL: "{{RepoUrl}}", path: app, targetRevision: main }
              destination: { server: "https://kubernetes.default.svc", namespace: restart }
              syncPolicy:
                automated: { prune: true, selfHeal: true }
                syncOptions: [CreateNamespace=true]
            """);
        var reconciled = new Listener();
        await using var cluster = await SimulatedClusterConnector.StartAsync(CancellationToken.None);
        await using var host = await LocalHost.StartAsync(new LocalHostOptions
        {
            Settings = new FerrySettings
            {
                Apps = Path.Combine(_temp.Path, "apps"),
                State = Path.Combine(_temp.Path, "state"),
                GitConfig = [new($"url.{_repo.Url}.insteadOf", RepoUrl)],
            },
            Port = 0,
            DriftInterval = TimeSpan.FromHours(1),
            Clusters = cluster,
            Events = [reconciled],
            ConfigureLogging = _ => { },
        }, CancellationToken.None);

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var first = await reconciled.First.Task.WaitAsync(limit.Token);

        Assert.Equal(("lh-restart", "drift"), (first.Request.App, first.Request.Reason));
        Assert.NotNull(cluster.Simulator.GetObject("v1", "ConfigMap", "restart", "restart"));
    }

    [Fact]
    public async Task Queue_JobFailingTransientlyOnEveryAttempt_IsPoisonedAndShownOnTheApp()
    {
        _temp.Write("apps/restart.yaml", $$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: lh-poison
            spec:
              source: { repoURL: "{{RepoUrl}}", path: app, targetRevision: main }
              destination: { server: "https://kubernetes.default.svc", namespace: restart }
              syncPolicy:
                syncOptions: [CreateNamespace=true]
            """);
        var reconciled = new Listener();
        await using var cluster = await SimulatedClusterConnector.StartAsync(CancellationToken.None);
        await using var host = await LocalHost.StartAsync(new LocalHostOptions
        {
            Settings = new FerrySettings
            {
                Apps = Path.Combine(_temp.Path, "apps"),
                State = Path.Combine(_temp.Path, "state"),
                GitConfig = [new($"url.{_repo.Url}.insteadOf", RepoUrl)],
            },
            Port = 0,
            DriftInterval = TimeSpan.FromHours(1),
            RetryDelay = TimeSpan.Zero,
            Reconciler = new AppReconcilerOptions { TransientRetryDelay = TimeSpan.Zero },
            Clusters = cluster,
            Events = [reconciled],
            ConfigureLogging = _ => { },
        }, CancellationToken.None);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await reconciled.First.Task.WaitAsync(limit.Token);
        var revision = _repo.Head();

        // The repository goes away: every attempt of the next job fails as a transient Git error.
        Directory.Move(_repo.WorkTree, _repo.WorkTree + "-gone");
        await host.Queue.EnqueueAsync(new JobMessage { Kind = JobKind.Sync, App = "lh-poison", Revision = revision, Reason = JobReason.Webhook, DeliveryId = "lh-delivery", EnqueuedAt = DateTimeOffset.UtcNow }, limit.Token);
        while ((await host.Queue.PeekPoisonedAsync(10, limit.Token)).Count == 0)
        {
            await Task.Delay(50, limit.Token);
        }

        var poisoned = Assert.Single(await host.Queue.PeekPoisonedAsync(10, limit.Token));
        Assert.Equal("lh-delivery", poisoned.Message?.DeliveryId);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var status = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri("api/apps/lh-poison", UriKind.Relative), limit.Token))!;
        var condition = Assert.Single(status["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == JobProcessor.PoisonedCondition)!;
        var message = (string?)condition["message"];
        Assert.Contains("lh-delivery", message, StringComparison.Ordinal);
        Assert.Contains("reason webhook", message, StringComparison.Ordinal);
        Assert.Contains($"revision {revision}", message, StringComparison.Ordinal);
        Assert.Contains($"after {host.Queue.MaxDequeueCount} attempts", message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _repo.Dispose();
        _temp.Dispose();
    }

    private sealed class Listener : IFerryEvents
    {
        public TaskCompletionSource<ReconcileEvent> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reconciled(ReconcileEvent reconcile) => First.TrySetResult(reconcile);

        public void WebhookReceived(string? deliveryId, WebhookResponse response)
        {
        }

        public void DriftDetected(DriftEvent drift)
        {
        }
    }
}
