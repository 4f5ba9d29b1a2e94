using Ferry.Core.Charts;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Charts;

/// <summary>Charts from a real HTTP chart repository (packaged and indexed by the real helm) and a real OCI registry (pushed to by the real helm).</summary>
public sealed class ChartCacheTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly HelmCli _helm = new();
    private ChartRepositoryServer _repo = null!;

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(_temp.Path, "published");
        foreach (var version in new[] { "1.2.3", "1.2.9", "1.3.0", "2.0.0" })
        {
            await _helm.PackageAsync("probe", version, folder);
        }

        await _helm.RunAsync("repo", "index", folder);
        _repo = await ChartRepositoryServer.StartAsync(folder);
    }

    public async Task DisposeAsync()
    {
        await _repo.DisposeAsync();
        _helm.Dispose();
        _temp.Dispose();
    }

    private ChartCache Cache(string? password = ChartRepositoryServer.Password, long maxBytes = 512L << 20, string? root = null) => new(new ChartCacheOptions
    {
        RootDirectory = root ?? Path.Combine(_temp.Path, "cache"),
        MaxCacheBytes = maxBytes,
        Repositories = new ChartRepositorySettings
        {
            Repositories = [new ChartRepositoryEntry { Url = _repo.Url, Username = ChartRepositoryServer.User, Password = password }],
        },
    });

    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("1.2.*", "1.2.9")]
    [InlineData(">=1.0 <2", "1.3.0")]
    [InlineData("HEAD", "2.0.0")]
    public async Task ResolveAndPull_HttpRepositoryWithBasicAuth_UnpacksTheVersionTheConstraintPicks(string constraint, string expected)
    {
        using var cache = Cache();
        var location = ChartLocation.From(_repo.Url, "probe")!;

        var resolved = await cache.ResolveAsync(location, constraint, CancellationToken.None);
        using var chart = await cache.PullAsync(location, resolved, CancellationToken.None);

        Assert.Equal(expected, resolved.Version);
        Assert.StartsWith("sha256:", resolved.Digest, StringComparison.Ordinal);
        Assert.Contains($"version: {expected}", await File.ReadAllTextAsync(Path.Combine(chart.Path, "Chart.yaml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(chart.Path, "templates", "configmap.yaml")));
        Assert.All(_repo.Requests, r => Assert.True(r.Authorized, $"{r.Path} was sent without the repository's credentials"));
    }

    [Fact]
    public async Task PullAsync_SameVersionAgain_ServedFromTheCacheWithoutDownloading()
    {
        using var cache = Cache();
        var location = ChartLocation.From(_repo.Url, "probe")!;
        var resolved = await cache.ResolveAsync(location, "1.3.0", CancellationToken.None);
        using (await cache.PullAsync(location, resolved, CancellationToken.None))
        {
        }

        var downloads = _repo.Requests.Count(r => r.Path.EndsWith(".tgz", StringComparison.Ordinal));
        using var again = await Cache().PullAsync(location, await cache.ResolveAsync(location, "1.3.0", CancellationToken.None), CancellationToken.None);

        Assert.Equal(1, downloads);
        Assert.Equal(downloads, _repo.Requests.Count(r => r.Path.EndsWith(".tgz", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(again.Path, "Chart.yaml")));
    }

    [Fact]
    public async Task PullAsync_OverTheBound_EvictsTheLeastRecentlyUsedChartNotInUse()
    {
        var root = Path.Combine(_temp.Path, "small-cache");
        using var cache = Cache(maxBytes: 1, root: root);
        var location = ChartLocation.From(_repo.Url, "probe")!;
        using var held = await cache.PullAsync(location, await cache.ResolveAsync(location, "1.2.3", CancellationToken.None), CancellationToken.None);
        using (var first = await cache.PullAsync(location, await cache.ResolveAsync(location, "1.2.9", CancellationToken.None), CancellationToken.None))
        {
        }

        using var last = await cache.PullAsync(location, await cache.ResolveAsync(location, "1.3.0", CancellationToken.None), CancellationToken.None);

        // 1.2.9 was released and is the oldest not in use; 1.2.3 is still held, 1.3.0 in use.
        Assert.True(Directory.Exists(held.Path));
        Assert.True(Directory.Exists(last.Path));
        Assert.Equal(2, Directory.GetDirectories(root).Length);
    }

    [Theory]
    [InlineData("unknown version", "probe", "9.9.9", "helm chart 'probe' version '9.9.9' from {repo}: no version matches (the repository has 2.0.0, 1.3.0, 1.2.9, 1.2.3)")]
    [InlineData("unknown range", "probe", ">=3", "helm chart 'probe' version '>=3' from {repo}: no version matches")]
    [InlineData("unknown chart", "nginx", "1.0.0", "helm chart 'nginx' version '1.0.0' from {repo}: the repository's index.yaml has no such chart")]
    public async Task ResolveAsync_UnknownChartOrVersion_NamesRepositoryChartAndVersion(string name, string chart, string version, string expected)
    {
        Assert.NotNull(name);
        using var cache = Cache();

        var ex = await Assert.ThrowsAsync<ChartException>(() => cache.ResolveAsync(ChartLocation.From(_repo.Url, chart)!, version, CancellationToken.None));

        Assert.True(ex.Permanent);
        Assert.StartsWith(expected.Replace("{repo}", _repo.Url, StringComparison.Ordinal), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_WrongPassword_SaysAccessWasRefusedWithoutTheSecret()
    {
        using var cache = Cache(password: "wrong-password-123");

        var ex = await Assert.ThrowsAsync<ChartException>(() => cache.ResolveAsync(ChartLocation.From(_repo.Url, "probe")!, "1.2.3", CancellationToken.None));

        Assert.Contains("refused (HTTP 401)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullAsync_ArchiveChangedAfterIndexing_RefusesTheDigestMismatch()
    {
        using var cache = Cache();
        var location = ChartLocation.From(_repo.Url, "probe")!;
        var resolved = await cache.ResolveAsync(location, "2.0.0", CancellationToken.None);
        // Replace the archive behind the index's back (a tampered or half-published repository).
        await _helm.PackageAsync("probe", "2.0.0", Path.Combine(_temp.Path, "other"), greeting: "tampered");
        File.Copy(Path.Combine(_temp.Path, "other", "probe-2.0.0.tgz"), Path.Combine(_repo.Folder, "probe-2.0.0.tgz"), overwrite: true);

        var ex = await Assert.ThrowsAsync<ChartException>(() => cache.PullAsync(location, resolved, CancellationToken.None));

        Assert.Contains("does not match its digest", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Path.Combine(_temp.Path, "cache")) ? Directory.GetDirectories(Path.Combine(_temp.Path, "cache")) : []);
    }
}
