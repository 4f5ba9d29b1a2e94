using Ferry.Core.Charts;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.Charts;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

/// <summary>
/// Issue 15, Helm charts from chart repositories and OCI registries through the whole pipeline: a basic-auth HTTP chart
/// repository and a token-auth OCI registry on 127.0.0.1, charts published with the real helm, synced into the simulated cluster.
/// </summary>
public sealed class ChartSourceReconcileTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly HelmCli _helm = new();
    private ChartRepositoryServer _repo = null!;
    private OciTestRegistry _registry = null!;
    private PipelineHarness _h = null!;

    private string Published => Path.Combine(_temp.Path, "published");

    public async Task InitializeAsync()
    {
        _ = InstalledHelm.Path;
        foreach (var version in new[] { "1.2.3", "1.2.9", "2.0.0" })
        {
            await _helm.PackageAsync("probe", version, Published);
        }

        await _helm.RunAsync("repo", "index", Published);
        _repo = await ChartRepositoryServer.StartAsync(Published);
        _registry = await OciTestRegistry.StartAsync();
        var package = await _helm.PackageAsync("probe", "0.4.0", Path.Combine(_temp.Path, "oci"));
        await _helm.RunAsync("push", package, $"oci://{_registry.Host}/charts", "--plain-http", "--username", OciTestRegistry.User, "--password", OciTestRegistry.Password);
        _h = await PipelineHarness.StartAsync(
            new Dictionary<string, string> { ["values/prod.yaml"] = "greeting: from-git\n" },
            chartRepositories: new ChartRepositorySettings
            {
                Repositories =
                [
                    new ChartRepositoryEntry { Url = _repo.Url, Username = ChartRepositoryServer.User, Password = ChartRepositoryServer.Password },
                    new ChartRepositoryEntry { Url = $"oci://{_registry.Host}", Username = OciTestRegistry.User, Password = OciTestRegistry.Password, PlainHttp = true },
                ],
            });
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _registry.DisposeAsync();
        await _repo.DisposeAsync();
        _helm.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task ReconcileAsync_RangeFromHttpRepository_SyncsTheHighestMatchAndFollowsANewRelease()
    {
        WriteApp("web", $"repoURL: {_repo.Url}\n    chart: probe\n    targetRevision: 1.2.*", automated: true);

        var outcome = await _h.ReconcileAsync("web", ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync("web");
        Assert.Equal(("1.2.9", SyncStatusCode.Synced), (status.Revision, status.SyncStatus));
        Assert.Equal("1.2.9", ChartVersion("web"));

        // A drift check resolves the range again: a new patch release is a new revision, which the automated app syncs.
        await _helm.PackageAsync("probe", "1.2.10", Published);
        await _helm.RunAsync("repo", "index", Published);
        var again = await _h.ReconcileAsync("web", ReconcileMode.Refresh);

        Assert.True(again.Synced, again.Summary);
        Assert.Equal("1.2.10", (await _h.StatusAsync("web")).Revision);
        Assert.Equal("1.2.10", ChartVersion("web"));

        // A rollback to the first history entry pulls exactly that version, whatever the range says now.
        var history = (await _h.StatusAsync("web")).History;
        await _h.ReconcileAsync("web", ReconcileMode.ForceSync, revision: history[0].Revision);
        Assert.Equal("1.2.9", ChartVersion("web"));
    }

    [Fact]
    public async Task ReconcileAsync_UnknownVersion_FailsNamingRepositoryChartAndVersionAndAppliesNothing()
    {
        WriteApp("web", $"repoURL: {_repo.Url}\n    chart: probe\n    targetRevision: 3.1.4");

        var outcome = await _h.ReconcileAsync("web", ReconcileMode.ForceSync);

        Assert.False(outcome.Synced);
        Assert.True(outcome.Completed, "an unknown version is permanent: no retries until the repository or the app changes");
        var status = await _h.StatusAsync("web");
        var message = Assert.Single(status.Conditions, c => c.Type == "ComparisonError").Message;
        Assert.StartsWith($"helm chart 'probe' version '3.1.4' from {_repo.Url}: no version matches", message, StringComparison.Ordinal);
        Assert.Equal(OperationPhase.Error, status.Operation!.Phase);
        Assert.Null(_h.Server.GetObject("v1", "ConfigMap", "demo", "web-settings"));
        Assert.DoesNotContain(ChartRepositoryServer.Password, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileAsync_OciChartWithValuesFromGit_RendersTheChartWithTheRefValueFile()
    {
        File.WriteAllText(Path.Combine(_h.AppsDirectory, "oci.yaml"), $"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: oci
              namespace: argocd
            spec:
              project: default
              sources:
              - repoURL: {_registry.Host}/charts
                chart: probe
                targetRevision: ">=0.1 <1"
                helm:
                  valueFiles: [$values/values/prod.yaml]
              - repoURL: {_h.Repo.Url}
                targetRevision: main
                ref: values
              destination:
                name: {PipelineHarness.ClusterName}
                namespace: demo
              syncPolicy:
                syncOptions: [CreateNamespace=true]
            """);

        var outcome = await _h.ReconcileAsync("oci", ReconcileMode.ForceSync);

        Assert.True(outcome.Synced, outcome.Summary);
        Assert.Equal("0.4.0", ChartVersion("oci"));
        Assert.Equal("from-git", (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "oci-settings")!["data"]!["greeting"]);
        Assert.Equal(["0.4.0", _h.Repo.Head()], (await _h.StatusAsync("oci")).Revisions);
    }

    private string? ChartVersion(string app) => (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", $"{app}-settings")?["data"]?["chartVersion"];

    private void WriteApp(string name, string source, bool automated = false) =>
        File.WriteAllText(Path.Combine(_h.AppsDirectory, $"{name}.yaml"), $"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: {name}
              namespace: argocd
            spec:
              project: default
              source:
                {source}
              destination:
                name: {PipelineHarness.ClusterName}
                namespace: demo
              syncPolicy:
                syncOptions: [CreateNamespace=true]
            {(automated ? "    automated: {prune: true}\n" : string.Empty)}
            """);
}
