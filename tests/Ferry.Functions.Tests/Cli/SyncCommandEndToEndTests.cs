using System.CommandLine;
using Ferry.Core.Status;
using Ferry.Core.Tests.Git;
using Ferry.Cli.Commands;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Cli;

/// <summary>
/// <c>ferry sync</c> in-process on a three-wave app with a PreSync migration Job and a PostSync smoke Job: a real Git repository,
/// an apps directory, a clusters file naming a simulator kubeconfig; the Job and rollout completions are explicit steps while the sync runs.
/// </summary>
public sealed class SyncCommandEndToEndTests : IAsyncLifetime
{
    private const string Manifests = """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: migrate
          annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: HookSucceeded}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: "shop/migrate:1"}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: production}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: "postgres:16"}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          annotations: {argocd.argoproj.io/sync-wave: "1"}
        spec:
          selector: {matchLabels: {app: api}}
          template:
            metadata: {labels: {app: api}}
            spec: {containers: [{name: api, image: "shop/api:1"}]}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          annotations: {argocd.argoproj.io/sync-wave: "2"}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "shop/web:1"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          annotations: {argocd.argoproj.io/sync-wave: "2"}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: smoke
          annotations: {argocd.argoproj.io/hook: PostSync}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: smoke, image: "shop/smoke:1"}]
        """;

    private readonly TempDirectory _dir = new();
    private KubeSimulator _cluster = null!;
    private TestGitRepository _repo = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "e2e-token" });
        _repo = TestGitRepository.Create(new Dictionary<string, string> { ["shop/all.yaml"] = Manifests });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Sync_ThreeWaveAppWithHooks_RunsPhasesAndWavesInOrderAsTheClusterBecomesHealthy()
    {
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        _cluster.WriteKubeconfig(kubeconfig);
        var clusters = _dir.Write("clusters.yaml", $"clusters:\n- name: sim\n  server: {_cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}\n  auth: {{kubeconfig: {{path: {kubeconfig}, context: ferry-simulator}}}}\n");
        var apps = _dir.Write("apps/shop.yaml", $"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {"{"}name: shop{"}"}
            spec:
              project: default
              source: {"{"}repoURL: "{_repo.Url}", targetRevision: main, path: shop{"}"}
              destination: {"{"}name: sim, namespace: shop{"}"}
              syncPolicy:
                syncOptions: [CreateNamespace=true]
            """);
        var state = Path.Combine(_dir.Path, "state");
        var output = new StringWriter();

        var sync = FerryCli.Build().Parse(["sync", "shop", "--apps", Path.GetDirectoryName(apps)!, "--clusters", clusters, "--state", state])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, CancellationToken.None);

        // PreSync: the migration runs before anything else exists, and the recorded status says what the sync waits for.
        await WaitForAsync(sync, () => _cluster.GetObject("batch/v1", "Job", "shop", "migrate") is not null);
        var waiting = await WaitForAsync(sync, async () => (await new FileStatusStore(state).GetAsync("shop", CancellationToken.None))?.Operation is { Phase: OperationPhase.Running } op ? op.Message : null);
        // The health named in brackets is whatever the last poll saw (Progressing, or Missing before the first re-read).
        Assert.StartsWith("waiting for 1/1 object(s) of PreSync wave 0 to become healthy: Job.batch/shop/migrate (", waiting, StringComparison.Ordinal);
        Assert.Null(_cluster.GetObject("v1", "ConfigMap", "shop", "settings"));
        _cluster.CompleteJob("shop", "migrate");

        // Wave 0, then 1, then 2: each starts only when the one before is healthy. The objects of one wave are applied in
        // parallel, so the test waits for all of them and asserts no order among them.
        await WaitForAsync(sync, () => _cluster.GetObject("apps/v1", "Deployment", "shop", "db") is not null && _cluster.GetObject("v1", "ConfigMap", "shop", "settings") is not null);
        Assert.Null(_cluster.GetObject("apps/v1", "Deployment", "shop", "api"));
        _cluster.CompleteRollout("Deployment", "shop", "db");

        await WaitForAsync(sync, () => _cluster.GetObject("apps/v1", "Deployment", "shop", "api") is not null);
        Assert.Null(_cluster.GetObject("apps/v1", "Deployment", "shop", "web"));
        _cluster.CompleteRollout("Deployment", "shop", "api");

        await WaitForAsync(sync, () => _cluster.GetObject("apps/v1", "Deployment", "shop", "web") is not null && _cluster.GetObject("v1", "Service", "shop", "web") is not null);
        Assert.Null(_cluster.GetObject("batch/v1", "Job", "shop", "smoke"));
        _cluster.CompleteRollout("Deployment", "shop", "web");

        // PostSync once everything is healthy.
        await WaitForAsync(sync, () => _cluster.GetObject("batch/v1", "Job", "shop", "smoke") is not null);
        _cluster.CompleteJob("shop", "smoke");
        var code = await sync;

        var text = output.ToString();
        Assert.True(code == 0, text);
        Assert.Contains("sync Synced, health Healthy", text, StringComparison.Ordinal);
        Assert.Null(_cluster.GetObject("batch/v1", "Job", "shop", "migrate")); // HookSucceeded
        var status = await new FileStatusStore(state).GetAsync("shop", CancellationToken.None);

        // The table `ferry sync` printed, in execution order.
        Assert.Equal(
            ["PreSync 0 Namespace/shop", "PreSync 0 Job/migrate", "Sync 0 ConfigMap/settings", "Sync 0 Deployment/db", "Sync 1 Deployment/api", "Sync 2 Service/web", "Sync 2 Deployment/web", "PostSync 0 Job/smoke"],
            status!.Operation!.Results.Select(r => $"{r.HookPhase ?? "Sync"} {r.Wave} {r.Kind}/{r.Name}"));
        Assert.Equal(8, text.Split('\n').Count(l => l.Contains("created", StringComparison.Ordinal)));
        Assert.Equal(OperationPhase.Succeeded, status.Operation.Phase);
        Assert.Equal(_repo.Head(), status.Revision);
        Assert.DoesNotContain(status.Inventory, e => e.Id.Contains("migrate", StringComparison.Ordinal) || e.Id.Contains("smoke", StringComparison.Ordinal));
        Assert.Equal(5, status.Inventory.Count);
    }

    private static async Task WaitForAsync(Task<int> sync, Func<bool> done) => await WaitForAsync(sync, () => Task.FromResult(done() ? "yes" : null));

    private static async Task<string> WaitForAsync(Task<int> sync, Func<Task<string?>> probe)
    {
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (sync.IsCompleted)
            {
                Assert.Fail($"ferry sync ended (exit {sync.Result}) before the step was reached");
            }

            await Task.Delay(20);
        }
    }
}
