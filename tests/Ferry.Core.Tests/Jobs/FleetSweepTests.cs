using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;
using RecordedRequest = Ferry.Simulator.RecordedRequest;

namespace Ferry.Core.Tests.Jobs;

/// <summary>Issue 16: a drift sweep compares every app on a cluster against one shared read of the repository and of the cluster.</summary>
public sealed class FleetSweepTests : IAsyncLifetime
{
    private const int Apps = 6;
    private static readonly string[] Namespaces = ["team-a", "team-b"];

    private PipelineHarness _h = null!;
    private InMemoryJobQueue _queue = null!;
    private FleetSweep _sweep = null!;

    public async Task InitializeAsync()
    {
        // Six apps in one repository, a folder each, two ConfigMaps and a Service per app, over two namespaces.
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Apps; i++)
        {
            files[$"apps/app-{i}/config.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-{i}-config\ndata:\n  app: app-{i}\n";
            files[$"apps/app-{i}/more.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-{i}-more\ndata:\n  index: \"{i}\"\n";
            files[$"apps/app-{i}/service.yaml"] = $"apiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\nspec:\n  ports:\n  - port: 80\n";
        }

        _h = await PipelineHarness.StartAsync(files);
        for (var i = 0; i < Apps; i++)
        {
            _h.WriteApplication($"app-{i}", path: $"apps/app-{i}", destinationNamespace: Namespaces[i % Namespaces.Length], automated: true, prune: true, selfHeal: true);
        }

        var catalogs = new DirectoryCatalogProvider(_h.AppsDirectory);
        _queue = new InMemoryJobQueue();
        _sweep = new FleetSweep(catalogs, _h.Reconciler, _queue, _h.Clusters);
        for (var i = 0; i < Apps; i++)
        {
            var outcome = await _h.ReconcileAsync($"app-{i}", ReconcileMode.Sync);
            Assert.True(outcome.Synced, outcome.Summary);
        }
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_AppsInSync_OneListPerResourceAndNamespaceOneRefListingNoWrites()
    {
        _h.Server.Requests.Clear();
        _h.GitCommands.Clear();

        var result = await _sweep.RunAsync(PipelineHarness.ClusterName, "drift-1", CancellationToken.None);

        Assert.Equal(Apps, result.Apps.Count);
        Assert.Empty(result.HandedOff);
        Assert.Equal(0, _queue.Count);
        var requests = _h.Server.Requests.Snapshot();
        Assert.True(requests.All(r => r.Method == "GET"), Describe(requests.Where(r => r.Method != "GET")));
        // ConfigMaps and Services in two namespaces, and the namespaces CreateNamespace=true manages: one list each, no per-app read.
        Assert.Equal(
            ["/api/v1/namespaces", "/api/v1/namespaces/team-a/configmaps", "/api/v1/namespaces/team-a/services", "/api/v1/namespaces/team-b/configmaps", "/api/v1/namespaces/team-b/services"],
            requests.Select(r => r.Path).Order(StringComparer.Ordinal));
        Assert.Equal(["ls-remote"], _h.GitCommands.Select(c => c.Command));
        Assert.Equal(5, result.Lists);
    }

    [Fact]
    public async Task RunAsync_SecondSweepWithNothingChanged_ComparesNothingAndWritesNoStatus()
    {
        await _sweep.RunAsync(PipelineHarness.ClusterName, "drift-1", CancellationToken.None);
        var before = await StatusVersionsAsync();
        _h.Server.Requests.Clear();

        var result = await _sweep.RunAsync(PipelineHarness.ClusterName, "drift-2", CancellationToken.None);

        Assert.Equal(Apps, result.Unchanged);
        Assert.Empty(result.HandedOff);
        Assert.Equal(before, await StatusVersionsAsync());
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Equal(5, _h.Server.Requests.Count);
    }

    [Fact]
    public async Task RunAsync_OneAppEditedLive_HandsOnlyItToItsOwnJobWhichHeals()
    {
        await _sweep.RunAsync(PipelineHarness.ClusterName, "drift-1", CancellationToken.None);
        _h.Server.UpdateObject("v1", "ConfigMap", "team-b", "app-3-config", cm => cm["data"]!["app"] = "edited");
        _h.Server.Requests.Clear();

        var result = await _sweep.RunAsync(PipelineHarness.ClusterName, "drift-2", CancellationToken.None);

        Assert.Equal(["app-3"], result.HandedOff);
        Assert.Equal(Apps - 1, result.Unchanged);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        var job = await _queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(job);
        Assert.Equal((JobKind.Refresh, "app-3", JobReason.Drift, _h.Repo.Head()), (job.Message.Kind, job.Message.App, job.Message.Reason, job.Message.Revision));
        Assert.Equal(1, _queue.Count);

        // The hand-off job resolves from the sweep's listing (its recorded revision agrees) and heals with its own lease and reads.
        _h.GitCommands.Clear();
        var outcome = await new JobProcessor(_h.Reconciler, sweep: _sweep).ProcessAsync(job.Message, CancellationToken.None);

        Assert.True(outcome.Synced, outcome.Summary);
        Assert.Empty(_h.GitCommands);
        Assert.Equal("app-3", (string?)_h.Server.GetObject("v1", "ConfigMap", "team-b", "app-3-config")!["data"]!["app"]);
        Assert.Equal(SyncStatusCode.Synced, (await _h.StatusAsync("app-3")).SyncStatus);
    }

    [Fact]
    public async Task RunAsync_NewCommitForOneApp_EveryAppResolvesItFromOneListing()
    {
        var old = _h.Repo.Head();
        var head = _h.Repo.Commit(new Dictionary<string, string> { ["apps/app-1/config.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-1-config\ndata:\n  app: changed\n" }, "change app-1");
        _h.GitCommands.Clear();

        var result = await _sweep.RunAsync(PipelineHarness.ClusterName, "drift-1", CancellationToken.None);

        Assert.Equal(["ls-remote", "fetch"], _h.GitCommands.Select(c => c.Command));
        Assert.Equal(["app-1"], result.HandedOff);
        // The others are compared at the new commit and recorded; app-1's own job records it.
        Assert.All(await _h.Store.ListAsync(CancellationToken.None), s => Assert.Equal(s.Name == "app-1" ? old : head, s.Revision));
    }

    [Fact]
    public async Task DriftCheck_WithClusters_EnqueuesOneSweepPerCluster()
    {
        var drift = new DriftCheck(new DirectoryCatalogProvider(_h.AppsDirectory), _queue, TimeProvider.System, _h.Store, _h.Clusters);

        var apps = await drift.RunAsync(CancellationToken.None);

        Assert.Equal(Apps, apps.Count);
        var job = await _queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(job);
        Assert.Equal((JobKind.Sweep, JobMessage.AllApps, PipelineHarness.ClusterName), (job.Message.Kind, job.Message.App, job.Message.Cluster));
        Assert.Equal(1, _queue.Count);
    }

    private async Task<Dictionary<string, string?>> StatusVersionsAsync()
    {
        var versions = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < Apps; i++)
        {
            versions[$"app-{i}"] = (await _h.Store.ReadAsync($"app-{i}", CancellationToken.None))?.Version;
        }

        return versions;
    }

    private static string Describe(IEnumerable<RecordedRequest> requests) =>
        string.Join("\n", requests.Select(r => $"{r.Method} {r.Path}?{r.Query}"));
}
