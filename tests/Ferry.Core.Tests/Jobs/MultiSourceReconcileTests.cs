using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

/// <summary>Issue 15, multi-source Applications: spec.sources from two real Git repositories synced into the simulated cluster.</summary>
public sealed class MultiSourceReconcileTests : IAsyncLifetime
{
    private const string App = "multi";

    private PipelineHarness _h = null!;
    private TestGitRepository _extra = null!;

    public async Task InitializeAsync()
    {
        _h = await PipelineHarness.StartAsync();
        _extra = TestGitRepository.Create(new Dictionary<string, string>
        {
            ["extra/flags.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  beta: \"on\"\n",
            ["values/prod.yaml"] = "replicaCount: 3\n",
        });
    }

    public async Task DisposeAsync()
    {
        _extra.Dispose();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task ReconcileAsync_TwoSources_SyncsBothSetsAndRecordsEachRevision()
    {
        WriteApp(extraPath: "extra", automated: true);

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Equal(HealthStatusCode.Healthy, status.Health);
        Assert.Equal([_h.Repo.Head(), _extra.Head(), _extra.Head()], status.Revisions);
        Assert.Equal(["demo_flags__ConfigMap", "demo_settings__ConfigMap", "demo_web__Service", "demo_web_apps_Deployment"], status.Inventory.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal("on", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "flags")!["data"]!["beta"]);

        // A commit to the second repository alone is a new revision of the app: the automated app syncs it.
        var next = _extra.Commit(new Dictionary<string, string> { ["extra/flags.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  beta: \"off\"\n" }, "beta off");
        var again = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(again.Synced, again.Summary);
        status = await _h.StatusAsync(App);
        Assert.Equal([_h.Repo.Head(), next, next], status.Revisions);
        Assert.Equal("off", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "flags")!["data"]!["beta"]);

        // A rollback to the first history entry checks out every source at its recorded commit.
        var rollback = await _h.ReconcileAsync(App, ReconcileMode.ForceSync, revision: status.History[0].Revision);

        Assert.True(rollback.Synced, rollback.Summary);
        Assert.Equal("on", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "flags")!["data"]!["beta"]);
        Assert.Equal(status.History[0].Revision, (await _h.StatusAsync(App)).Revision);
    }

    [Fact]
    public async Task ReconcileAsync_ObjectRenderedByTwoSources_FailsNamingBothAndAppliesNothing()
    {
        _extra.Commit(new Dictionary<string, string> { ["extra/settings.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: twice\n" }, "duplicate");
        WriteApp(extraPath: "extra");

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.False(outcome.Synced);
        var status = await _h.StatusAsync(App);
        var message = status.Operation!.Message!;
        Assert.Contains("ConfigMap/demo/settings is rendered by two sources", message, StringComparison.Ordinal);
        Assert.Contains($"spec.sources[0] ({_h.Repo.Url} guestbook)", message, StringComparison.Ordinal);
        Assert.Contains($"spec.sources[1] ({_extra.Url} extra", message, StringComparison.Ordinal);
        Assert.Contains(status.Conditions, c => c.Message!.Contains("rendered by two sources", StringComparison.Ordinal));
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Empty(status.Inventory);
    }

    /// <summary>An app with the harness repository's guestbook, this test's second repository at <paramref name="extraPath"/>, and that repository again as a ref-only source.</summary>
    private void WriteApp(string extraPath, bool automated = false) => _h.WriteCatalogFile($"{App}.yaml", $"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: {App}
        spec:
          sources:
          - repoURL: {_h.Repo.Url}
            targetRevision: main
            path: guestbook
          - repoURL: {_extra.Url}
            targetRevision: main
            path: {extraPath}
          - repoURL: {_extra.Url}
            targetRevision: main
            ref: values
          destination:
            name: {PipelineHarness.ClusterName}
            namespace: demo
          syncPolicy:
            syncOptions:
            - CreateNamespace=true
        {(automated ? "    automated: {}\n" : string.Empty)}
        """);
}
