using System.Runtime.Versioning;
using Ferry.Core.Charts;
using Ferry.Core.Git;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Render.Helm;
using Ferry.Core.Tests.Charts;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Render.Helm;

/// <summary>Chart.yaml dependencies that charts/ lacks, with the real helm, on a chart checked out read-only from a real Git repository.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class HelmDependenciesTests : IAsyncLifetime
{
    private const string Common = """
        apiVersion: v2
        name: common
        version: 0.2.0
        type: library
        """;

    private const string CommonLabels = """
        {{- define "common.labels" -}}
        team: platform
        chart: {{ .Chart.Name }}
        {{- end -}}
        """;

    private const string AppTemplate = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-settings
          labels:
            {{- include "common.labels" . | nindent 4 }}
        data:
          greeting: hello
        """;

    private readonly TempDirectory _temp = new();
    private readonly HelmCli _helm = new();
    private ChartRepositoryServer _charts = null!;
    private TestGitRepository _repo = null!;

    public async Task InitializeAsync()
    {
        var published = Path.Combine(_temp.Path, "published");
        await _helm.PackageAsync("probe", "1.2.3", published);
        await _helm.PackageAsync("probe", "1.2.9", published, greeting: "from the repository");
        await _helm.RunAsync("repo", "index", published);
        _charts = await ChartRepositoryServer.StartAsync(published);
        _repo = TestGitRepository.Create(new Dictionary<string, string>
        {
            ["charts/common/Chart.yaml"] = Common,
            ["charts/common/templates/_labels.tpl"] = CommonLabels,
            ["charts/app/Chart.yaml"] = Chart(("common", "0.2.0", "file://../common")),
            ["charts/app/templates/settings.yaml"] = AppTemplate,
            ["charts/mixed/Chart.yaml"] = Chart(("common", "0.2.0", "file://../common"), ("probe", "1.2.*", _charts.Url)),
            ["charts/mixed/templates/settings.yaml"] = AppTemplate.Replace("-settings", "-main", StringComparison.Ordinal),
            ["charts/aliased/Chart.yaml"] = Chart(("probe", "1.2.3", "@stable")),
        });
    }

    public async Task DisposeAsync()
    {
        _repo.Dispose();
        await _charts.DisposeAsync();
        _helm.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task RenderAsync_FileDependencyNotInCharts_BuiltOnACopy_CheckoutUntouched()
    {
        using var checkout = await Checkout();
        var before = Files(checkout.Path);

        var result = await RealHelm().RenderAsync(Request(checkout.Path, "charts/app"), CancellationToken.None);

        var settings = Assert.Single(result.Manifests);
        Assert.Equal("shop-settings", settings.Key.Name);
        Assert.Equal("platform", (string?)settings.Object["metadata"]!["labels"]!["team"]);
        Assert.Equal("app", (string?)settings.Object["metadata"]!["labels"]!["chart"]);
        Assert.Equal("charts/app/templates/settings.yaml", settings.Source);
        Assert.Equal(before, Files(checkout.Path));
    }

    [Fact]
    public async Task RenderAsync_FileAndChartRepositoryDependencies_PackagedAndPulledWithTheRepositoryCredentials()
    {
        using var checkout = await Checkout();
        var before = Files(checkout.Path);
        using var charts = new ChartCache(new ChartCacheOptions
        {
            RootDirectory = Path.Combine(_temp.Path, "chart-cache"),
            Repositories = new ChartRepositorySettings
            {
                Repositories = [new ChartRepositoryEntry { Url = _charts.Url, Username = ChartRepositoryServer.User, Password = ChartRepositoryServer.Password }],
            },
        });

        var result = await RealHelm().RenderAsync(Request(checkout.Path, "charts/mixed") with { Charts = charts }, CancellationToken.None);

        Assert.Equal(["shop-main", "shop-settings"], result.Manifests.Select(m => m.Key.Name).Order(StringComparer.Ordinal));
        Assert.Equal("platform", (string?)result.Manifests.Single(m => m.Key.Name == "shop-main").Object["metadata"]!["labels"]!["team"]);
        var probe = result.Manifests.Single(m => m.Key.Name == "shop-settings");
        Assert.Equal(("1.2.9", "from the repository"), ((string?)probe.Object["data"]!["chartVersion"], (string?)probe.Object["data"]!["greeting"]));
        Assert.Equal("charts/mixed/charts/probe/templates/configmap.yaml", probe.Source);
        Assert.Contains(_charts.Requests, r => r.Path.EndsWith("probe-1.2.9.tgz", StringComparison.Ordinal) && r.Authorized);
        Assert.Equal(before, Files(checkout.Path));
    }

    [Fact]
    public async Task RenderAsync_ChartRepositoryDependencyWithoutAChartCache_ErrorNamesChartAndDependency()
    {
        using var checkout = await Checkout();

        var ex = await Assert.ThrowsAsync<RenderException>(() => RealHelm().RenderAsync(Request(checkout.Path, "charts/mixed"), CancellationToken.None));

        Assert.Equal("charts/mixed/Chart.yaml", ex.Path);
        Assert.Contains($"dependency 'probe' comes from {_charts.Url}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_DependencyNamingAHelmRepositoryAlias_ErrorNamesChartAndDependency()
    {
        using var checkout = await Checkout();

        var ex = await Assert.ThrowsAsync<RenderException>(() => RealHelm().RenderAsync(Request(checkout.Path, "charts/aliased"), CancellationToken.None));

        Assert.Equal("charts/aliased/Chart.yaml", ex.Path);
        Assert.Contains("dependency 'probe' names the repository '@stable'", ex.Message, StringComparison.Ordinal);
    }

    private static HelmRenderer RealHelm() => new(new ProcessRunner(), new HelmRendererOptions { Executable = InstalledHelm.Path });

    private static string Chart(params (string Name, string Version, string Repository)[] dependencies) =>
        "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n"
        + string.Concat(dependencies.Select(d => $"- name: {d.Name}\n  version: \"{d.Version}\"\n  repository: \"{d.Repository}\"\n"));

    private static RenderRequest Request(string root, string path) => new()
    {
        RootDirectory = root,
        Path = path,
        AppName = "shop",
        Namespace = "shop",
    };

    private async Task<GitCheckout> Checkout()
    {
        var cache = new GitRepositoryCache(new GitCacheOptions { RootDirectory = _repo.CacheRoot, UseUserGitConfig = false });
        return await cache.CheckoutAsync(_repo.Url, await cache.ResolveAsync(_repo.Url, "main", CancellationToken.None), CancellationToken.None);
    }

    private static string[] Files(string root) =>
        [.. System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];
}
