using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Sync;
using Ferry.Core.Tests.TestSupport;
using RecordedRequest = Ferry.Simulator.RecordedRequest;

namespace Ferry.Core.Tests.Jobs;

/// <summary>Issue 3 end to end: a real Git repository, Argo CD Applications, the simulated cluster, the file status store.</summary>
public sealed class AppReconcilerTests : IAsyncLifetime
{
    private const string App = "guestbook";

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_FirstSync_CreatesEverythingAndRecordsSyncedHealthyWithHistory()
    {
        _h.WriteApplication(App);

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.True(outcome.Synced, outcome.Summary);
        Assert.True(outcome.Completed);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Equal(HealthStatusCode.Healthy, status.Health);
        Assert.Equal(_h.Repo.Head(), status.Revision);
        Assert.Equal(OperationPhase.Succeeded, status.Operation!.Phase);
        Assert.Equal(["Namespace", "ConfigMap", "Service", "Deployment"], status.Operation.Results.Select(r => r.Kind));
        Assert.All(status.Operation.Results, r => Assert.Equal(ResourceAction.Created, r.Action));
        Assert.Equal(["demo_settings__ConfigMap", "demo_web__Service", "demo_web_apps_Deployment"], status.Inventory.Select(e => e.Id).Order(StringComparer.Ordinal));
        var entry = Assert.Single(status.History);
        Assert.Equal(_h.Repo.Head(), entry.Revision);
        Assert.Equal("guestbook", entry.Path);
        Assert.Contains("render", status.Operation.StageMilliseconds.Keys);
        var deployment = _h.Server.GetObject("apps/v1", "Deployment", "demo", "web")!;
        Assert.Equal("guestbook:apps/Deployment:demo/web", (string?)deployment["metadata"]!["annotations"]![Annotations.TrackingId]);
        Assert.NotNull(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
        Assert.NotNull(_h.Server.GetObject("v1", "Service", "demo", "web"));
    }

    [Fact]
    public async Task ReconcileAsync_SameRevisionAgain_SendsNoMutatingRequestAndListsOncePerKindAndNamespace()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        _h.Server.Requests.Clear();

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.All(status.Operation!.Results, r => Assert.Equal(ResourceAction.Unchanged, r.Action));
        var requests = _h.Server.Requests.Snapshot();
        Assert.True(_h.Server.Requests.MutatingCount == 0, Describe(requests.Where(r => r.IsMutating)));
        Assert.DoesNotContain(requests, r => r.Method != "GET");
        // Discovery is cached by the cluster connection; the reads are one list per (kind, namespace) plus the namespace check.
        Assert.DoesNotContain(requests, IsDiscovery);
        const int distinctKindNamespacePairs = 3;
        Assert.True(requests.Count <= distinctKindNamespacePairs + 1, Describe(requests));
    }

    [Fact]
    public async Task ReconcileAsync_LiveEditWithSelfHealOff_IsReportedOutOfSyncAndLeftAlone()
    {
        _h.WriteApplication(App, automated: true, selfHeal: false);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        _h.Server.UpdateObject("apps/v1", "Deployment", "demo", "web", d => d["spec"]!["replicas"] = 5);
        _h.Server.Requests.Clear();

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.False(outcome.Synced);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.OutOfSync, status.SyncStatus);
        Assert.Equal(SyncStatusCode.OutOfSync, status.Resources.Single(r => r.Kind == "Deployment").Status);
        Assert.Equal(SyncStatusCode.Synced, status.Resources.Single(r => r.Kind == "ConfigMap").Status);
        Assert.Contains("replicas: 5", status.LastDiff);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Equal(5, (int)_h.Server.GetObject("apps/v1", "Deployment", "demo", "web")!["spec"]!["replicas"]!);
        Assert.Single(status.History);
    }

    [Fact]
    public async Task ReconcileAsync_LiveEditWithSelfHealOn_IsHealedByRefresh()
    {
        _h.WriteApplication(App, automated: true, selfHeal: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        _h.Server.UpdateObject("apps/v1", "Deployment", "demo", "web", d => d["spec"]!["replicas"] = 5);
        _h.Server.Requests.Clear();

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Equal(ResourceAction.Configured, status.Operation!.Results.Single(r => r.Kind == "Deployment").Action);
        Assert.Equal(ResourceAction.Unchanged, status.Operation.Results.Single(r => r.Kind == "ConfigMap").Action);
        Assert.Equal(2, (int)_h.Server.GetObject("apps/v1", "Deployment", "demo", "web")!["spec"]!["replicas"]!);
        Assert.Equal(1, _h.Server.Requests.MutatingCount);
        Assert.Equal(2, status.History.Count);
    }

    [Fact]
    public async Task ReconcileAsync_LiveEditOnManualApp_RefreshOnlyReports()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        _h.Server.UpdateObject("v1", "ConfigMap", "demo", "settings", cm => cm["data"]!["greeting"] = "edited");
        _h.Server.Requests.Clear();

        await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.Equal(SyncStatusCode.OutOfSync, (await _h.StatusAsync(App)).SyncStatus);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Equal("edited", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
    }

    [Fact]
    public async Task ReconcileAsync_FileRemovedFromGit_PrunedOnlyWithPruneOn()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        var removed = _h.RemoveFromRepo("drop the ConfigMap", "guestbook/configmap.yaml");

        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        var kept = await _h.StatusAsync(App);
        Assert.Equal(removed, kept.Revision);
        Assert.Equal(SyncStatusCode.OutOfSync, kept.SyncStatus);
        Assert.Contains(kept.Operation!.Results, r => r is { Kind: "ConfigMap", Action: ResourceAction.PruneSkipped });
        Assert.Contains(kept.Inventory, e => e.Id == "demo_settings__ConfigMap");
        Assert.NotNull(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));

        await _h.ReconcileAsync(App, ReconcileMode.ForceSync, prune: true);

        var pruned = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, pruned.SyncStatus);
        Assert.Contains(pruned.Operation!.Results, r => r is { Kind: "ConfigMap", Action: ResourceAction.Pruned });
        Assert.DoesNotContain(pruned.Inventory, e => e.Id == "demo_settings__ConfigMap");
        Assert.Null(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
        Assert.NotNull(_h.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
    }

    [Fact]
    public async Task ReconcileAsync_AutomatedPruneOn_NewCommitWithoutAFileSyncsAndPrunesOnRefresh()
    {
        _h.WriteApplication(App, automated: true, prune: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var removed = _h.RemoveFromRepo("drop the Service", "guestbook/service.yaml");

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(removed, status.Revision);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Null(_h.Server.GetObject("v1", "Service", "demo", "web"));
    }

    [Fact]
    public async Task ReconcileAsync_ArgoConfigMapInCatalog_LuaHealthScriptDecidesResourceHealth()
    {
        _h.WriteApplication(App);
        _h.WriteCatalogFile("argocd-cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            data:
              resource.customizations.health.Service: |
                hs = {}
                hs.status = "Degraded"
                hs.message = "service " .. obj.metadata.name .. " has " .. #obj.spec.ports .. " port(s)"
                return hs
            """);

        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        var status = await _h.StatusAsync(App);
        var service = status.Resources.Single(r => r.Kind == "Service");
        Assert.Equal(HealthStatusCode.Degraded, service.Health);
        Assert.Equal(HealthStatusCode.Degraded, status.Health);
        Assert.Contains("service web has 1 port(s)", status.HealthMessage, StringComparison.Ordinal);
        Assert.Equal(HealthStatusCode.Healthy, status.Resources.Single(r => r.Kind == "Deployment").Health);
    }

    [Fact]
    public async Task ReconcileAsync_BrokenYaml_FailsWithFileAndLineAndTouchesNothing()
    {
        _h.WriteApplication(App);
        _h.Repo.Commit(new Dictionary<string, string> { ["guestbook/broken.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n" }, "broken");

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.False(outcome.Synced);
        Assert.True(outcome.Completed, "a render error is permanent; retrying cannot fix it");
        var status = await _h.StatusAsync(App);
        Assert.Equal(OperationPhase.Error, status.Operation!.Phase);
        Assert.Matches(@"broken\.yaml:\d+", status.Operation.Message);
        Assert.Contains(status.Conditions, c => c.Message!.Contains("broken.yaml", StringComparison.Ordinal));
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Null(_h.Server.GetObject("v1", "Namespace", null, "demo"));
        Assert.Empty(status.History);
    }

    [Fact]
    public async Task ReconcileAsync_BrokenYamlAfterASync_KeepsClusterAndInventory()
    {
        _h.WriteApplication(App, automated: true, prune: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var before = await _h.StatusAsync(App);
        _h.Repo.Commit(new Dictionary<string, string> { ["guestbook/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: \"unterminated\n" }, "broken");
        _h.Server.Requests.Clear();

        await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        // A refresh is a comparison: its render error is a condition; the last sync stays the recorded operation (Argo CD's split).
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Unknown, status.SyncStatus);
        Assert.Contains(status.Conditions, c => System.Text.RegularExpressions.Regex.IsMatch(c.Message, @"configmap\.yaml:\d+"));
        Assert.Equal(before.Operation!.StartedAt, status.Operation!.StartedAt);
        Assert.Equal(OperationPhase.Succeeded, status.Operation.Phase);
        Assert.Equal(before.Inventory, status.Inventory);
        Assert.Equal(0, _h.Server.Requests.Count);
        Assert.NotNull(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    [Theory]
    [InlineData("namespace blacklist", "namespaceResourceBlacklist:\n  - group: ''\n    kind: ConfigMap\n", false, "ConfigMap", "demo/settings")]
    [InlineData("cluster-scoped kind outside the whitelist", "", true, "ClusterRole", "reader")]
    public async Task ReconcileAsync_ForbiddenKind_IsRefusedNamingTheObject(string row, string restriction, bool addClusterRole, string kind, string name)
    {
        _ = row;
        if (addClusterRole)
        {
            _h.Repo.Commit(new Dictionary<string, string>
            {
                ["guestbook/clusterrole.yaml"] = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n",
            }, "add a ClusterRole");
        }

        // The whitelist names only Namespace (for CreateNamespace); anything else cluster-scoped is forbidden.
        _h.WriteCatalogFile("project.yaml", $"""
            apiVersion: argoproj.io/v1alpha1
            kind: AppProject
            metadata:
              name: restricted
            spec:
              sourceRepos: ['*']
              destinations:
              - name: {PipelineHarness.ClusterName}
                namespace: '*'
              clusterResourceWhitelist:
              - group: ''
                kind: Namespace
            {Indent(restriction, "  ")}
            """);
        _h.WriteApplication(App, project: "restricted");

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.False(outcome.Synced);
        var status = await _h.StatusAsync(App);
        Assert.Equal(OperationPhase.Error, status.Operation!.Phase);
        Assert.Contains(kind, status.Operation.Message);
        Assert.Contains(name, status.Operation.Message);
        Assert.Contains("restricted", status.Operation.Message);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Null(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    [Fact]
    public async Task ReconcileAsync_KustomizeApp_RendersAndSyncs()
    {
        _h.Repo.Commit(new Dictionary<string, string>
        {
            ["overlay/kustomization.yaml"] = "resources:\n- ../guestbook/configmap.yaml\n- ../guestbook/deployment.yaml\n- ../guestbook/service.yaml\nnamePrefix: prod-\ncommonLabels:\n  env: prod\n",
        }, "overlay");
        _h.WriteApplication("overlay", path: "overlay");

        var outcome = await _h.ReconcileAsync("overlay", ReconcileMode.ForceSync);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync("overlay");
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Equal(HealthStatusCode.Healthy, status.Health);
        var deployment = _h.Server.GetObject("apps/v1", "Deployment", "demo", "prod-web")!;
        Assert.Equal("prod", (string?)deployment["spec"]!["selector"]!["matchLabels"]!["env"]);
        Assert.Equal("prod-settings", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "prod-settings")!["metadata"]!["name"]);
        Assert.Null(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    [Fact]
    public async Task ReconcileAsync_EmptyRender_DoesNotPrune()
    {
        _h.WriteApplication(App, automated: true, prune: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var before = await _h.StatusAsync(App);
        _h.Repo.Commit(new Dictionary<string, string> { ["guestbook/README.md"] = "nothing here any more\n" }, "readme");
        _h.RemoveFromRepo("empty the app", "guestbook/configmap.yaml", "guestbook/deployment.yaml", "guestbook/service.yaml");
        _h.Server.Requests.Clear();

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.False(outcome.Synced);
        var status = await _h.StatusAsync(App);
        // A refresh keeps the last real operation (as Argo CD does); the refusal shows as a comparison error.
        Assert.Contains(status.Conditions, c => c.Type == "ComparisonError" && c.Message.Contains("allowEmpty", StringComparison.Ordinal));
        Assert.Equal(before.Inventory, status.Inventory);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.NotNull(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
        Assert.NotNull(_h.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
    }

    [Fact]
    public async Task ReconcileAsync_UnknownBranch_MarksTheErrorAndKeepsTheInventory()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        var before = await _h.StatusAsync(App);
        _h.WriteApplication(App, targetRevision: "no-such-branch");
        _h.Server.Requests.Clear();

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        // A branch that does not exist is permanent: recorded once, not retried (the next drift check looks again).
        Assert.False(outcome.Synced);
        Assert.True(outcome.Completed);
        Assert.Null(outcome.RetryAfter);
        var status = await _h.StatusAsync(App);
        Assert.Equal(OperationPhase.Error, status.Operation!.Phase);
        Assert.Contains("no-such-branch", status.Operation.Message);
        Assert.Contains(status.Conditions, c => c.Message!.Contains("no-such-branch", StringComparison.Ordinal));
        Assert.Equal(before.Inventory, status.Inventory);
        Assert.Equal(before.History, status.History);
        Assert.Equal(0, _h.Server.Requests.Count);
    }

    [Fact]
    public async Task ReconcileAsync_LeaseHeldByAnotherSync_SkipsWithRetryAfter()
    {
        _h.WriteApplication(App);
        await using (var held = await _h.Store.TryAcquireLeaseAsync(App, TimeSpan.FromMinutes(1), CancellationToken.None))
        {
            Assert.NotNull(held);

            var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

            Assert.False(outcome.Completed);
            Assert.NotNull(outcome.RetryAfter);
            Assert.Null(outcome.Status);
            Assert.Equal(0, _h.Server.Requests.Count);
            Assert.Null(await _h.Store.GetAsync(App, CancellationToken.None));
        }

        Assert.True((await _h.ReconcileAsync(App, ReconcileMode.ForceSync)).Synced);
    }

    [Fact]
    public async Task ReconcileAsync_WaitForLease_StartsOnlyAfterTheHolderReleases()
    {
        _h.WriteApplication(App);
        var held = await _h.Store.TryAcquireLeaseAsync(App, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(held);

        var waiting = _h.Reconciler.ReconcileAsync(new ReconcileRequest { App = App, Mode = ReconcileMode.ForceSync, WaitForLease = true }, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, _h.Server.Requests.Count);
        await held.DisposeAsync();
        var outcome = await waiting;
        Assert.True(outcome.Synced, outcome.Summary);
    }

    [Fact]
    public async Task ReconcileAsync_TwoSyncsAtOnce_NeverInterleave()
    {
        _h.WriteApplication(App);

        var outcomes = await Task.WhenAll(
            _h.Reconciler.ReconcileAsync(new ReconcileRequest { App = App, Mode = ReconcileMode.ForceSync, WaitForLease = true }, CancellationToken.None),
            _h.Reconciler.ReconcileAsync(new ReconcileRequest { App = App, Mode = ReconcileMode.ForceSync, WaitForLease = true }, CancellationToken.None));

        Assert.All(outcomes, o => Assert.True(o.Synced, o.Summary));
        // Run one after the other, the second finds everything created by the first; interleaved, both would create.
        var actions = outcomes.Select(o => o.Status!.Operation!.Results.Where(r => r.Kind != "Namespace").Select(r => r.Action).Distinct().Single()).Order().ToList();
        Assert.Equal([ResourceAction.Unchanged, ResourceAction.Created], actions);
        Assert.Equal(4, _h.Server.Requests.CountWhere(r => r.IsMutating));
    }

    [Fact]
    public async Task ReconcileAsync_ManySyncs_HistoryKeepsRevisionHistoryLimit()
    {
        _h.WriteApplication(App, revisionHistoryLimit: 2);
        var revisions = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            revisions.Add(_h.Repo.Commit(new Dictionary<string, string> { ["guestbook/configmap.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: hello-{i}\n" }, $"greeting {i}"));
            Assert.True((await _h.ReconcileAsync(App, ReconcileMode.ForceSync)).Synced);
        }

        var status = await _h.StatusAsync(App);
        Assert.Equal([1L, 2L], status.History.Select(h => h.Id));
        Assert.Equal(revisions[1..], status.History.Select(h => h.Revision));
        Assert.Equal("hello-3", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
    }

    [Fact]
    public async Task ReconcileAsync_AutomatedApp_NewCommitSyncsOnRefresh()
    {
        _h.WriteApplication(App, automated: true);
        var first = await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        Assert.True(first.Synced, first.Summary);
        _h.Server.Requests.Clear();

        var idle = await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        Assert.False(idle.Synced);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);

        var next = _h.Repo.Commit(new Dictionary<string, string> { ["guestbook/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: bonjour\n" }, "french");
        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(next, status.Revision);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Equal(next, status.History[^1].Revision);
        Assert.Equal("bonjour", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
    }

    [Fact]
    public async Task ReconcileAsync_FailedRevision_NotRetriedOnRefreshUntilSelfHealOrANewRevision()
    {
        _h.WriteApplication(App, automated: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var failing = CommitGreeting("refused");
        _h.Server.FailNext(r => r is { Method: "PATCH", IsDryRun: false } && r.Path.Contains("/configmaps/", StringComparison.Ordinal), 403, "Forbidden");

        var failed = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.False(failed.Synced);
        var status = await _h.StatusAsync(App);
        Assert.Equal(OperationPhase.Failed, status.Operation!.Phase);
        Assert.Equal(failing, status.FailedAutoSyncRevision);
        Assert.DoesNotContain(status.History, h => h.Revision == failing);

        _h.Server.Requests.Clear();
        var again = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.False(again.Synced);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Equal(SyncStatusCode.OutOfSync, (await _h.StatusAsync(App)).SyncStatus);

        var fixedRevision = CommitGreeting("accepted");
        var retried = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(retried.Synced, retried.Summary);
        status = await _h.StatusAsync(App);
        Assert.Equal(fixedRevision, status.Revision);
        Assert.Null(status.FailedAutoSyncRevision);
        Assert.Equal("accepted", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
    }

    [Fact]
    public async Task ReconcileAsync_FailedRevisionWithSelfHeal_IsRetriedOnRefresh()
    {
        _h.WriteApplication(App, automated: true, selfHeal: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var failing = CommitGreeting("refused-once");
        _h.Server.FailNext(r => r is { Method: "PATCH", IsDryRun: false } && r.Path.Contains("/configmaps/", StringComparison.Ordinal), 403, "Forbidden");
        Assert.False((await _h.ReconcileAsync(App, ReconcileMode.Refresh)).Synced);
        Assert.Equal(failing, (await _h.StatusAsync(App)).FailedAutoSyncRevision);

        var retried = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(retried.Synced, retried.Summary);
        Assert.Equal("refused-once", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
    }

    [Fact]
    public async Task ReconcileAsync_LiveEditReverted_RefreshClearsTheRecordedDiff()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        _h.Server.UpdateObject("v1", "ConfigMap", "demo", "settings", cm => cm["data"]!["greeting"] = "edited");
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        Assert.Contains("edited", (await _h.StatusAsync(App)).LastDiff);
        _h.Server.UpdateObject("v1", "ConfigMap", "demo", "settings", cm => cm["data"]!["greeting"] = "hello");

        await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.True(string.IsNullOrEmpty(status.LastDiff), status.LastDiff);
    }

    [Fact]
    public async Task ReconcileAsync_DiffBeforeTheRefresh_DoesNotStopTheAutomatedSyncOfANewCommit()
    {
        _h.WriteApplication(App, automated: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var next = CommitGreeting("bonjour");

        var diff = await _h.ReconcileAsync(App, ReconcileMode.Refresh, dryRun: true);
        Assert.False(diff.Synced);
        Assert.Equal(SyncStatusCode.OutOfSync, diff.Status!.SyncStatus);
        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        Assert.Equal(next, (await _h.StatusAsync(App)).History[^1].Revision);
        Assert.Equal("bonjour", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"]);
    }

    [Fact]
    public async Task ReconcileAsync_AutomatedPruneOffOnlyPruneNeeded_DoesNotSyncOnEveryRefresh()
    {
        _h.WriteApplication(App, automated: true, selfHeal: true, prune: false);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        _h.RemoveFromRepo("drop the ConfigMap", "guestbook/configmap.yaml");

        var first = await _h.ReconcileAsync(App, ReconcileMode.Refresh);
        var second = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        // Argo CD skips an automated sync whose only work is pruning while automated prune is off.
        Assert.False(first.Synced, first.Summary);
        Assert.False(second.Synced, second.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.OutOfSync, status.SyncStatus);
        Assert.Single(status.History);
        Assert.Contains(status.Resources, r => r is { Kind: "ConfigMap", Status: SyncStatusCode.OutOfSync });
        Assert.NotNull(_h.Server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    private string CommitGreeting(string greeting) =>
        _h.Repo.Commit(new Dictionary<string, string> { ["guestbook/configmap.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: {greeting}\n" }, greeting);

    private static string Indent(string text, string prefix) =>
        string.Join('\n', text.Split('\n').Select(line => line.Length == 0 ? line : prefix + line));

    /// <summary>Discovery documents: <c>/api</c>, <c>/api/v1</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c>, <c>/version</c>.</summary>
    private static bool IsDiscovery(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        return segments[0] switch
        {
            "api" => segments.Length <= 2,
            "apis" => segments.Length <= 3,
            "version" or "openapi" => true,
            _ => false,
        };
    }

    private static string Describe(IEnumerable<RecordedRequest> requests) =>
        string.Join("\n", requests.Select(r => $"{r.Method} {r.Path}{r.Query}"));
}
