using System.CommandLine;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;
using Ferry.Cli.Commands;
using Ferry.Functions.Composition;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Cli;

/// <summary>Argo CD's automated sync rules and rollback, through the runtime the CLI uses, over a real Git repository and the simulator.</summary>
public sealed class AutoSyncAndRollbackTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly Clock _clock = new();
    private KubeSimulator _cluster = null!;
    private TestGitRepository _repo = null!;
    private string _clusters = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "t", AutoComplete = true });
        _repo = TestGitRepository.Create(new Dictionary<string, string> { ["app/cm.yaml"] = ConfigMap("one") });
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        _cluster.WriteKubeconfig(kubeconfig);
        _clusters = _dir.Write("clusters.yaml", $"clusters:\n- name: sim\n  server: {_cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}\n  auth: {{kubeconfig: {{path: {kubeconfig}}}}}\n");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Automated_SyncsOnlyWhenOutOfSync()
    {
        await using var runtime = await RuntimeAsync("automated: {}");

        var first = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo", Mode = ReconcileMode.Sync }, CancellationToken.None);
        var again = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo", Mode = ReconcileMode.Sync }, CancellationToken.None);

        Assert.True(first.Synced);
        Assert.False(again.Synced);
        Assert.Single(again.Status!.History);
    }

    [Fact]
    public async Task Automated_FailedRevisionIsNotRetriedUntilANewRevision()
    {
        _repo.Commit(new Dictionary<string, string> { ["app/bad.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\nextra: field\n" }, "broken");
        await using var runtime = await RuntimeAsync("automated: {}");

        var failed = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);
        var refresh = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);
        _repo.Git("rm", "-q", "app/bad.yaml");
        _repo.Commit(new Dictionary<string, string> { ["app/cm.yaml"] = ConfigMap("two") }, "fixed");
        var fixedRevision = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);

        Assert.Equal(OperationPhase.Failed, failed.Status!.Operation!.Phase);
        Assert.Null(failed.RetryAfter); // no retry policy
        Assert.False(refresh.Synced);
        Assert.Equal(failed.Status.Operation.FinishedAt, refresh.Status!.Operation!.FinishedAt);
        Assert.True(fixedRevision.Synced, fixedRevision.Summary);
        Assert.Equal("two", (string?)_cluster.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["value"]);
    }

    [Fact]
    public async Task Automated_RetryFollowsTheBackoffAndTheLimit()
    {
        _repo.Commit(new Dictionary<string, string> { ["app/bad.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\nextra: field\n" }, "broken");
        await using var runtime = await RuntimeAsync("automated: {}\n    retry: {limit: 2}");

        var first = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);
        var early = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);
        _clock.Now += TimeSpan.FromSeconds(5);
        var second = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);
        _clock.Now += TimeSpan.FromSeconds(10);
        var third = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);
        _clock.Now += TimeSpan.FromMinutes(5);
        var spent = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(5), first.RetryAfter); // defaults: 5 s, factor 2
        Assert.Equal(first.Status!.Operation!.FinishedAt, early.Status!.Operation!.FinishedAt); // backoff not over: not retried
        Assert.Equal(1, second.Status!.Operation!.RetryCount);
        Assert.Equal(TimeSpan.FromSeconds(10), second.RetryAfter);
        Assert.Equal(2, third.Status!.Operation!.RetryCount);
        Assert.Null(third.RetryAfter); // limit reached
        Assert.Equal(third.Status.Operation.FinishedAt, spent.Status!.Operation!.FinishedAt);
    }

    [Fact]
    public async Task Automated_AllowEmpty_PrunesEverythingOnlyWhenAllowed()
    {
        await using (var runtime = await RuntimeAsync("automated: {prune: true}"))
        {
            Assert.True((await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo" }, CancellationToken.None)).Synced);
        }

        _repo.Git("rm", "-q", "app/cm.yaml");
        _repo.Commit(new Dictionary<string, string> { ["app/README.md"] = "nothing here\n" }, "empty");
        await using (var runtime = await RuntimeAsync("automated: {prune: true}"))
        {
            var refused = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo", Mode = ReconcileMode.Sync }, CancellationToken.None);
            Assert.False(refused.Synced);
            Assert.Contains(refused.Status!.Conditions, c => c.Message.Contains("allowEmpty", StringComparison.Ordinal));
            Assert.NotNull(_cluster.GetObject("v1", "ConfigMap", "demo", "settings"));
        }

        await using (var runtime = await RuntimeAsync("automated: {prune: true, allowEmpty: true}"))
        {
            var emptied = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "demo", Mode = ReconcileMode.Sync }, CancellationToken.None);
            Assert.True(emptied.Synced);
            Assert.Null(_cluster.GetObject("v1", "ConfigMap", "demo", "settings"));
        }
    }

    [Fact]
    public async Task Rollback_RefusedWhileAutomated()
    {
        WriteApp("automated: {}\n    syncOptions: [CreateNamespace=true]");
        Assert.Equal(0, (await RunAsync("sync", "demo")).Code);

        var (code, output) = await RunAsync("rollback", "demo", "0");

        Assert.Equal(2, code);
        Assert.Contains("rollback refused", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_ReappliesTheRevisionsRenderFromGit()
    {
        var first = _repo.Head();
        WriteApp("syncOptions: [CreateNamespace=true]");
        Assert.Equal(0, (await RunAsync("sync", "demo")).Code);
        _repo.Commit(new Dictionary<string, string> { ["app/cm.yaml"] = ConfigMap("two") }, "two");
        Assert.Equal(0, (await RunAsync("sync", "demo")).Code);
        Assert.Equal("two", (string?)_cluster.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["value"]);

        var (code, output) = await RunAsync("rollback", "demo", "0");

        Assert.True(code == 0, output);
        Assert.Equal("one", (string?)_cluster.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["value"]);
        var status = await new FileStatusStore(Path.Combine(_dir.Path, "state")).GetAsync("demo", CancellationToken.None);
        Assert.Equal(first, status!.Revision);
        Assert.Equal("rollback", status.History[^1].Reason);
    }

    private static string ConfigMap(string value) => $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings}}\ndata: {{value: {value}}}\n";

    private string WriteApp(string syncPolicy) => _dir.Write("apps/demo.yaml", $"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {"{"}name: demo{"}"}
        spec:
          source: {"{"}repoURL: "{_repo.Url}", targetRevision: main, path: app{"}"}
          destination: {"{"}name: sim, namespace: demo{"}"}
          syncPolicy:
            {syncPolicy}
        """);

    private async Task<FerryRuntime> RuntimeAsync(string syncPolicy)
    {
        WriteApp(syncPolicy.Contains("syncOptions", StringComparison.Ordinal) ? syncPolicy : syncPolicy + "\n    syncOptions: [CreateNamespace=true]");
        var settings = new FerrySettings { Apps = Path.Combine(_dir.Path, "apps"), Clusters = _clusters, State = Path.Combine(_dir.Path, "state") };
        return await FerryRuntime.CreateAsync(settings, CancellationToken.None, time: _clock);
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await FerryCli.Build().Parse([.. args, "--apps", Path.Combine(_dir.Path, "apps"), "--clusters", _clusters, "--state", Path.Combine(_dir.Path, "state")])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, CancellationToken.None);
        return (code, output.ToString());
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
