using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Ferry.Core.Kube;

/// <summary>Reads and caches discovery documents (<c>/api</c>, <c>/apis</c>, one per group-version) with a TTL; concurrent callers share one fetch.</summary>
internal sealed class KubeDiscovery(KubeTransport transport, KubeClientOptions options)
{
    private const string Resource = "discovery";
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyList<ApiResource>?>> _groupVersions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyList<string>>> _groupList = new(StringComparer.Ordinal);

    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        var body = (await transport.SendAsync(HttpMethod.Get, "/version", Resource, null, KubeRetry.Safe, cancellationToken).ConfigureAwait(false)).Require();
        return (string?)body["gitVersion"] ?? throw new KubeApiException("GET", "/version", 200, null, "the answer has no gitVersion", null, null, null, []);
    }

    /// <summary>Every served group-version, core first, in the server's order.</summary>
    public Task<IReadOnlyList<string>> GroupVersionsAsync(CancellationToken cancellationToken) =>
        GetOrFetchAsync(_groupList, string.Empty, FetchGroupVersionsAsync, cancellationToken);

    /// <summary>The resources of one group-version (no subresources); null when the server does not serve it.</summary>
    public Task<IReadOnlyList<ApiResource>?> ResourcesAsync(string groupVersion, CancellationToken cancellationToken) =>
        GetOrFetchAsync(_groupVersions, groupVersion, FetchResourcesAsync, cancellationToken);

    public void Invalidate(string groupVersion) => _groupVersions.TryRemove(groupVersion, out _);

    public void InvalidateAll()
    {
        _groupVersions.Clear();
        _groupList.Clear();
    }

    private async Task<T> GetOrFetchAsync<T>(ConcurrentDictionary<string, Entry<T>> cache, string key, Func<string, Task<T>> fetch, CancellationToken cancellationToken)
    {
        var now = options.TimeProvider.GetUtcNow();
        while (true)
        {
            if (cache.TryGetValue(key, out var existing) && existing.ExpiresAt > now && !existing.Task.IsFaulted && !existing.Task.IsCanceled)
            {
                return await existing.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // The fetch is shared by every waiter, so it must not die with the first caller's token; each caller waits with its own.
            var entry = new Entry<T>(new Lazy<Task<T>>(() => fetch(key)), now + options.DiscoveryTtl);
            var stored = existing is null ? cache.GetOrAdd(key, entry) : (cache.TryUpdate(key, entry, existing) ? entry : null);
            if (stored is null)
            {
                continue;
            }

            try
            {
                return await stored.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (stored.Task.IsFaulted)
            {
                cache.TryRemove(new KeyValuePair<string, Entry<T>>(key, stored));
                throw;
            }
        }
    }

    private async Task<IReadOnlyList<string>> FetchGroupVersionsAsync(string key)
    {
        var result = new List<string>();
        var core = (await transport.SendAsync(HttpMethod.Get, "/api", Resource, null, KubeRetry.Safe, CancellationToken.None).ConfigureAwait(false)).Require();
        result.AddRange((core["versions"] as JsonArray ?? []).Select(v => (string?)v).OfType<string>());
        var groups = (await transport.SendAsync(HttpMethod.Get, "/apis", Resource, null, KubeRetry.Safe, CancellationToken.None).ConfigureAwait(false)).Require();
        foreach (var group in (groups["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            result.AddRange((group["versions"] as JsonArray ?? []).OfType<JsonObject>().Select(v => (string?)v["groupVersion"]).OfType<string>());
        }

        return result;
    }

    private async Task<IReadOnlyList<ApiResource>?> FetchResourcesAsync(string groupVersion)
    {
        var path = groupVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{groupVersion}" : $"/api/{groupVersion}";
        var response = await transport.SendAsync(HttpMethod.Get, path, Resource, null, KubeRetry.Safe, CancellationToken.None).ConfigureAwait(false);
        if (response.Error is { IsNotFound: true })
        {
            return null;
        }

        var body = response.Require();
        var slash = groupVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : groupVersion[..slash];
        var version = slash < 0 ? groupVersion : groupVersion[(slash + 1)..];
        var resources = new List<ApiResource>();
        foreach (var item in (body["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)item["name"];
            var kind = (string?)item["kind"];
            if (name is null || kind is null || name.Contains('/', StringComparison.Ordinal))
            {
                // deployments/status, pods/log: subresources are not objects Ferry applies.
                continue;
            }

            var verbs = (item["verbs"] as JsonArray ?? []).Select(v => (string?)v).OfType<string>().ToArray();
            resources.Add(new ApiResource(group, version, kind, name, (bool?)item["namespaced"] ?? false, verbs));
        }

        return resources;
    }

    private sealed class Entry<T>(Lazy<Task<T>> task, DateTimeOffset expiresAt)
    {
        public Task<T> Task => task.Value;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;
    }
}
