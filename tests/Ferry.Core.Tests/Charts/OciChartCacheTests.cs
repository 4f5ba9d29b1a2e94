using Ferry.Core.Charts;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Charts;

/// <summary>Charts pushed by the real <c>helm push</c> into an OCI registry that speaks the distribution spec with bearer-token auth, pulled by Ferry.</summary>
public sealed class OciChartCacheTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly HelmCli _helm = new();
    private OciTestRegistry _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await OciTestRegistry.StartAsync();
        foreach (var version in new[] { "0.1.0", "0.2.0", "0.2.5+build.7", "1.0.0" })
        {
            var package = await _helm.PackageAsync("probe", version, Path.Combine(_temp.Path, "packages"));
            await _helm.RunAsync("push", package, $"oci://{_registry.Host}/team/charts", "--plain-http", "--username", OciTestRegistry.User, "--password", OciTestRegistry.Password);
        }
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        _helm.Dispose();
        _temp.Dispose();
    }

    private ChartCache Cache(string? password = OciTestRegistry.Password) => new(new ChartCacheOptions
    {
        RootDirectory = Path.Combine(_temp.Path, "cache"),
        Repositories = new ChartRepositorySettings
        {
            Repositories = [new ChartRepositoryEntry { Url = $"oci://{_registry.Host}", Username = OciTestRegistry.User, Password = password, PlainHttp = true }],
        },
    });

    [Theory]
    [InlineData("oci:// with chart", "oci://{host}/team/charts", "probe", "0.2.0", "0.2.0")]
    [InlineData("bare registry path with chart", "{host}/team/charts", "probe", "1.0.0", "1.0.0")]
    [InlineData("whole reference", "oci://{host}/team/charts/probe", null, "0.1.0", "0.1.0")]
    [InlineData("range over tags", "oci://{host}/team/charts", "probe", "~0.2", "0.2.5+build.7")]
    [InlineData("latest", "oci://{host}/team/charts", "probe", "HEAD", "1.0.0")]
    public async Task ResolveAndPull_ChartPushedByHelm_UnpacksIt(string name, string repoUrl, string? chart, string constraint, string expected)
    {
        Assert.NotNull(name);
        using var cache = Cache();
        var location = ChartLocation.From(repoUrl.Replace("{host}", _registry.Host, StringComparison.Ordinal), chart)!;

        var resolved = await cache.ResolveAsync(location, constraint, CancellationToken.None);
        using var pulled = await cache.PullAsync(location, resolved, CancellationToken.None);

        Assert.Equal(expected, resolved.Version);
        Assert.StartsWith("sha256:", resolved.Digest, StringComparison.Ordinal);
        Assert.Contains($"version: {expected}", await File.ReadAllTextAsync(Path.Combine(pulled.Path, "Chart.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_PagedTagList_FollowsLinkHeaders()
    {
        _registry.DefaultPageSize = 1;
        using var cache = Cache();

        var resolved = await cache.ResolveAsync(ChartLocation.From($"oci://{_registry.Host}/team/charts", "probe")!, ">=0.1 <1", CancellationToken.None);

        Assert.Equal("0.2.5+build.7", resolved.Version);
        Assert.True(_registry.Requests.Count(r => r.Path.Contains("/tags/list", StringComparison.Ordinal) && r.Auth == "Bearer") >= 4);
    }

    [Fact]
    public async Task ResolveAsync_UnknownVersion_NamesRegistryChartAndVersion()
    {
        using var cache = Cache();

        var ex = await Assert.ThrowsAsync<ChartException>(() => cache.ResolveAsync(ChartLocation.From($"oci://{_registry.Host}/team/charts", "probe")!, "3.0.0", CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.Equal($"helm chart 'probe' version '3.0.0' from oci://{_registry.Host}/team/charts: oci://{_registry.Host}/team/charts/probe has no such version (no tag 3.0.0)", ex.Message);
    }

    [Fact]
    public async Task ResolveAsync_UnknownChart_NamesIt()
    {
        using var cache = Cache();

        var ex = await Assert.ThrowsAsync<ChartException>(() => cache.ResolveAsync(ChartLocation.From($"oci://{_registry.Host}/team/charts", "nginx")!, "1.x", CancellationToken.None));

        Assert.Contains("helm chart 'nginx' version '1.x'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("was not found (HTTP 404)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_WrongPassword_RefusedWithoutTheSecret()
    {
        using var cache = Cache(password: "not-the-password-42");

        var ex = await Assert.ThrowsAsync<ChartException>(() => cache.ResolveAsync(ChartLocation.From($"oci://{_registry.Host}/team/charts", "probe")!, "1.0.0", CancellationToken.None));

        Assert.Contains("refused (HTTP 401)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", ex.ToString(), StringComparison.Ordinal);
    }
}
