using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Charts;

/// <summary>
/// Helm charts from chart repositories and OCI registries, in process (no helm needed to pull): a version or constraint is
/// resolved against the repository's <c>index.yaml</c> or the registry's tags on every call (so a range follows new releases),
/// and the package is downloaded once per repository, chart, version and digest, checked against its digest, unpacked safely
/// and kept under <see cref="ChartCacheOptions.RootDirectory"/>, least recently used first out beyond the size bound.
/// </summary>
public sealed class ChartCache : IDisposable
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string HelmChartLayer = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private const string HelmConfig = "application/vnd.cncf.helm.config.v1+json";
    private const string UsedMarker = ".used";

    private readonly ChartCacheOptions _options;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _pull = new(1, 1);
    private readonly ConcurrentDictionary<string, int> _inUse = new(StringComparer.Ordinal);

    /// <summary>A cache with its own HTTP client.</summary>
    public ChartCache(ChartCacheOptions options)
    {
        _options = options;
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("ferry");
    }

    /// <summary>The exact version (and digest) <paramref name="targetRevision"/> names now; a <see cref="ChartException"/> when there is none.</summary>
    public async Task<ResolvedChart> ResolveAsync(ChartLocation location, string targetRevision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            ChartVersions.Validate(targetRevision);
        }
        catch (FormatException ex)
        {
            throw new ChartException(location.RepoUrl, location.Chart, targetRevision, ex.Message, ex) { Permanent = true };
        }

        var http = new ChartHttp(_client, _options);
        return location.IsOci
            ? await ResolveOciAsync(http, location, targetRevision, cancellationToken).ConfigureAwait(false)
            : await ResolveHttpAsync(http, location, targetRevision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The unpacked chart of <paramref name="resolved"/>, downloaded when the cache does not hold it yet.</summary>
    public async Task<ChartCheckout> PullAsync(ChartLocation location, ResolvedChart resolved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(resolved);
        var key = ChartHttp.Sha256(Encoding.UTF8.GetBytes($"{location.Display}\n{location.Chart}\n{resolved.Version}\n{resolved.Digest}"))["sha256:".Length..][..32];
        var folder = Path.Combine(_options.RootDirectory, key);
        await _pull.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Directory.Exists(folder))
            {
                var package = await DownloadAsync(location, resolved, cancellationToken).ConfigureAwait(false);
                Unpack(package, folder, location, resolved.Version);
            }

            File.WriteAllText(Path.Combine(folder, UsedMarker), string.Empty);
            File.SetLastWriteTimeUtc(Path.Combine(folder, UsedMarker), DateTime.UtcNow);
            _inUse.AddOrUpdate(key, 1, (_, n) => n + 1);
            Evict();
        }
        finally
        {
            _pull.Release();
        }

        var chart = Directory.EnumerateDirectories(folder).Single();
        return new ChartCheckout(chart, resolved, () => _inUse.AddOrUpdate(key, 0, (_, n) => n - 1));
    }

    private async Task<ResolvedChart> ResolveHttpAsync(ChartHttp http, ChartLocation location, string targetRevision, CancellationToken cancellationToken)
    {
        var entry = _options.Repositories.Find(location.RepoUrl);
        var baseUrl = new Uri(location.RepoUrl.TrimEnd('/') + "/");
        var indexUrl = new Uri(baseUrl, "index.yaml");
        var response = await http.SendAsync(indexUrl, entry, null, location, targetRevision, cancellationToken).ConfigureAwait(false);
        var body = await http.ReadAsync(response, $"the repository index {indexUrl}", location, targetRevision, cancellationToken).ConfigureAwait(false);
        JsonNode? index;
        try
        {
            index = YamlReader.ReadOne(Encoding.UTF8.GetString(body), indexUrl.ToString());
        }
        catch (YamlFormatException ex)
        {
            throw new ChartException(location.RepoUrl, location.Chart, targetRevision, $"the repository index is not valid YAML (line {ex.Line}: {ex.Reason})", ex) { Permanent = true };
        }

        if (index?["entries"]?[location.Chart] is not JsonArray versions || versions.Count == 0)
        {
            throw new ChartException(location.RepoUrl, location.Chart, targetRevision, "the repository's index.yaml has no such chart") { Permanent = true };
        }

        var byVersion = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in versions.OfType<JsonObject>())
        {
            if (item["version"]?.ToString() is { Length: > 0 } v)
            {
                byVersion.TryAdd(v, item);
            }
        }

        var picked = ChartVersions.Select(byVersion.Keys, targetRevision)
            ?? throw new ChartException(location.RepoUrl, location.Chart, targetRevision, $"no version matches (the repository has {Available(byVersion.Keys)})") { Permanent = true };
        var chosen = byVersion[picked];
        if (chosen["urls"] is not JsonArray { Count: > 0 } urls || urls[0]?.ToString() is not { Length: > 0 } url)
        {
            throw new ChartException(location.RepoUrl, location.Chart, picked, "the repository's index.yaml lists no download URL for this version") { Permanent = true };
        }

        var digest = chosen["digest"]?.ToString() is { Length: 64 } hex ? $"sha256:{hex.ToLowerInvariant()}" : null;
        return new ResolvedChart { Version = picked, Digest = digest, Package = new Uri(baseUrl, url).ToString() };
    }

    private async Task<ResolvedChart> ResolveOciAsync(ChartHttp http, ChartLocation location, string targetRevision, CancellationToken cancellationToken)
    {
        var entry = _options.Repositories.Find(location.IsOci ? $"oci://{location.Registry}/{location.Repository}" : location.RepoUrl);
        var registry = RegistryBase(location, entry);
        string version;
        if (ChartVersions.IsExact(targetRevision))
        {
            version = targetRevision.Trim();
        }
        else
        {
            var tags = new List<string>();
            var next = new Uri(registry, $"v2/{location.Repository}/tags/list");
            while (next is not null)
            {
                var response = await http.SendAsync(next, entry, "application/json", location, targetRevision, cancellationToken).ConfigureAwait(false);
                var link = response.Headers.TryGetValues("Link", out var links) ? links.FirstOrDefault() : null;
                var body = await http.ReadAsync(response, $"the tags of {location.Display}", location, targetRevision, cancellationToken).ConfigureAwait(false);
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    tags.AddRange(list.EnumerateArray().Select(t => t.GetString()).OfType<string>());
                }

                next = NextPage(registry, link);
            }

            // helm pushes version 1.2.3+build as tag 1.2.3_build (OCI tags may not hold '+').
            version = ChartVersions.Select(tags.Select(t => t.Replace('_', '+')), targetRevision)
                ?? throw new ChartException(location.RepoUrl, location.Chart, targetRevision, $"no version matches (the registry has {Available(tags)})") { Permanent = true };
        }

        var manifestUrl = new Uri(registry, $"v2/{location.Repository}/manifests/{version.Replace('+', '_')}");
        var manifestResponse = await http.SendAsync(manifestUrl, entry, OciManifest, location, version, cancellationToken).ConfigureAwait(false);
        if (manifestResponse.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            manifestResponse.Dispose();
            throw new ChartException(location.RepoUrl, location.Chart, version, $"{location.Display} has no such version (no tag {version.Replace('+', '_')})") { Permanent = true };
        }

        var manifest = await http.ReadAsync(manifestResponse, $"the manifest of {location.Display}:{version}", location, version, cancellationToken).ConfigureAwait(false);
        string? layer = null;
        try
        {
            using var json = JsonDocument.Parse(manifest);
            var configType = json.RootElement.TryGetProperty("config", out var config) && config.TryGetProperty("mediaType", out var ct) ? ct.GetString() : null;
            if (configType != HelmConfig)
            {
                throw new ChartException(location.RepoUrl, location.Chart, version, $"{location.Display}:{version} is not a Helm chart (config media type {configType ?? "missing"})") { Permanent = true };
            }

            if (json.RootElement.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
            {
                layer = layers.EnumerateArray()
                    .Where(l => l.TryGetProperty("mediaType", out var mt) && mt.GetString() == HelmChartLayer)
                    .Select(l => l.TryGetProperty("digest", out var d) ? d.GetString() : null)
                    .FirstOrDefault();
            }
        }
        catch (JsonException ex)
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, "the registry's manifest is not valid JSON", ex) { Permanent = true };
        }

        if (layer is null || !layer.StartsWith("sha256:", StringComparison.Ordinal))
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, $"{location.Display}:{version} has no Helm chart layer ({HelmChartLayer})") { Permanent = true };
        }

        return new ResolvedChart { Version = version, Digest = ChartHttp.Sha256(manifest), Package = layer };
    }

    private async Task<byte[]> DownloadAsync(ChartLocation location, ResolvedChart resolved, CancellationToken cancellationToken)
    {
        var http = new ChartHttp(_client, _options);
        byte[] package;
        string? expected;
        if (location.IsOci)
        {
            var entry = _options.Repositories.Find($"oci://{location.Registry}/{location.Repository}");
            var blob = new Uri(RegistryBase(location, entry), $"v2/{location.Repository}/blobs/{resolved.Package}");
            var response = await http.SendAsync(blob, entry, null, location, resolved.Version, cancellationToken).ConfigureAwait(false);
            package = await http.ReadAsync(response, $"the chart layer of {location.Display}:{resolved.Version}", location, resolved.Version, cancellationToken).ConfigureAwait(false);
            expected = resolved.Package;
        }
        else
        {
            var entry = _options.Repositories.Find(location.RepoUrl);
            var response = await http.SendAsync(new Uri(resolved.Package), entry, null, location, resolved.Version, cancellationToken).ConfigureAwait(false);
            package = await http.ReadAsync(response, $"the chart archive {new Uri(resolved.Package).GetLeftPart(UriPartial.Path)}", location, resolved.Version, cancellationToken).ConfigureAwait(false);
            expected = resolved.Digest;
        }

        if (expected is not null && ChartHttp.Sha256(package) != expected)
        {
            throw new ChartException(location.RepoUrl, location.Chart, resolved.Version, $"the downloaded package does not match its digest {expected}");
        }

        return package;
    }

    /// <summary>Unpacks a chart archive into <paramref name="folder"/> (through a temporary folder, so a half-written chart is never seen); only files and folders inside it.</summary>
    private void Unpack(byte[] package, string folder, ChartLocation location, string version)
    {
        Directory.CreateDirectory(_options.RootDirectory);
        var temp = Path.Combine(_options.RootDirectory, $"tmp-{Guid.NewGuid():N}");
        var root = Path.GetFullPath(temp) + Path.DirectorySeparatorChar;
        try
        {
            long total = 0;
            using (var gzip = new GZipStream(new MemoryStream(package), CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                while (tar.GetNextEntry() is { } entry)
                {
                    var name = entry.Name.Replace('\\', '/').TrimStart('.', '/');
                    if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes || name.Length == 0)
                    {
                        continue;
                    }

                    var target = Path.GetFullPath(Path.Combine(temp, name));
                    if (Path.IsPathRooted(entry.Name) || !target.StartsWith(root, StringComparison.Ordinal) || name.Split('/').Contains(".."))
                    {
                        throw new ChartException(location.RepoUrl, location.Chart, version, $"the chart archive holds a path outside the chart: {entry.Name}") { Permanent = true };
                    }

                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            Directory.CreateDirectory(target);
                            break;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                            total += entry.Length;
                            if (total > _options.MaxDownloadBytes)
                            {
                                throw new ChartException(location.RepoUrl, location.Chart, version, $"the unpacked chart is larger than {_options.MaxDownloadBytes} bytes") { Permanent = true };
                            }

                            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                            entry.ExtractToFile(target, overwrite: true);
                            break;
                        default:
                            throw new ChartException(location.RepoUrl, location.Chart, version, $"the chart archive holds {entry.Name}, which is a {entry.EntryType}, not a file or folder") { Permanent = true };
                    }
                }
            }

            var top = Directory.Exists(temp) ? Directory.GetDirectories(temp) : [];
            if (top.Length != 1 || Directory.GetFiles(temp).Length != 0 || !File.Exists(Path.Combine(top[0], "Chart.yaml")))
            {
                throw new ChartException(location.RepoUrl, location.Chart, version, "the package is not a Helm chart archive (one folder holding Chart.yaml)") { Permanent = true };
            }

            Directory.Move(temp, folder);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, $"the package is not a gzip-compressed tar archive: {ex.Message}", ex) { Permanent = true };
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>Removes the least recently used charts not in use while the cache is over its bound.</summary>
    private void Evict()
    {
        var entries = Directory.GetDirectories(_options.RootDirectory)
            .Where(d => !Path.GetFileName(d).StartsWith("tmp-", StringComparison.Ordinal))
            .Select(d => (Folder: d, Used: File.GetLastWriteTimeUtc(Path.Combine(d, UsedMarker)), Bytes: Size(d)))
            .OrderBy(e => e.Used)
            .ToList();
        var total = entries.Sum(e => e.Bytes);
        foreach (var (folder, _, bytes) in entries)
        {
            if (total <= _options.MaxCacheBytes)
            {
                break;
            }

            if (_inUse.TryGetValue(Path.GetFileName(folder), out var users) && users > 0)
            {
                continue;
            }

            Directory.Delete(folder, recursive: true);
            total -= bytes;
        }
    }

    private static long Size(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static Uri RegistryBase(ChartLocation location, ChartRepositoryEntry? entry) =>
        new($"{(entry?.PlainHttp == true ? "http" : "https")}://{location.Registry}/");

    /// <summary>The next page of a tag list from its <c>Link: &lt;/v2/…?last=x&gt;; rel="next"</c> header.</summary>
    private static Uri? NextPage(Uri registry, string? link)
    {
        if (link is null || !link.Contains("rel=\"next\"", StringComparison.Ordinal))
        {
            return null;
        }

        var start = link.IndexOf('<');
        var end = link.IndexOf('>', start + 1);
        return start < 0 || end < 0 ? null : new Uri(registry, link[(start + 1)..end]);
    }

    private static string Available(IEnumerable<string> versions)
    {
        var list = versions.OrderByDescending(v => v, Comparer<string>.Create(CompareVersions)).ToList();
        return list.Count == 0 ? "no versions" : string.Join(", ", list.Take(10)) + (list.Count > 10 ? $" and {list.Count - 10} more" : string.Empty);
    }

    private static int CompareVersions(string a, string b) =>
        Semver.SemVersion.TryParse(a, Semver.SemVersionStyles.Any, out var x) && Semver.SemVersion.TryParse(b, Semver.SemVersionStyles.Any, out var y)
            ? x.ComparePrecedenceTo(y)
            : string.CompareOrdinal(a, b);

    /// <inheritdoc/>
    public void Dispose()
    {
        _client.Dispose();
        _pull.Dispose();
    }
}
