using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ferry.Core.Kube;

namespace Ferry.Core.Sync;

/// <summary>
/// One read of a cluster shared by every app a drift sweep compares: one list per (resource, namespace), made when the first app
/// asks and indexed by name, so each app looks its objects up instead of listing (or scanning) them again.
/// </summary>
/// <remarks>
/// Lists are per namespace, not cluster-wide: Ferry's role may be bound per namespace, and a cluster-wide list would also read every
/// object in namespaces no app manages. The objects are shared read-only; they are fully materialized before anyone sees them, so
/// concurrent readers never race on System.Text.Json's lazy node creation.
/// </remarks>
public sealed class LiveSnapshot(IKubeClient kube)
{
    private readonly ConcurrentDictionary<(string ApiVersion, string Resource, string Namespace), Lazy<Task<IReadOnlyDictionary<string, JsonObject>>>> _lists = new();

    /// <summary>How many (resource, namespace) lists this snapshot has asked for.</summary>
    public int ListCount => _lists.Count;

    /// <summary>The objects of <paramref name="resource"/> in <paramref name="ns"/> (empty for cluster-scoped), by name; listed once per snapshot.</summary>
    public Task<IReadOnlyDictionary<string, JsonObject>> ListAsync(ApiResource resource, string ns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = (resource.ApiVersion, resource.Name, resource.Namespaced ? ns : string.Empty);
        var lazy = _lists.GetOrAdd(key, k => new Lazy<Task<IReadOnlyDictionary<string, JsonObject>>>(() => ReadAsync(resource, k.Item3)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed read is not kept: the next app asks again.
            _lists.TryRemove(new KeyValuePair<(string, string, string), Lazy<Task<IReadOnlyDictionary<string, JsonObject>>>>(key, lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, JsonObject>> ReadAsync(ApiResource resource, string ns)
    {
        // Shared by every app, so no app's token cancels it; the client's own timeouts bound it.
        var items = await kube.ListAsync(resource, ns.Length == 0 ? null : ns, new ListOptions(), CancellationToken.None).ConfigureAwait(false);
        var byName = new Dictionary<string, JsonObject>(items.Count, StringComparer.Ordinal);
        foreach (var item in items)
        {
            if ((string?)item["metadata"]?["name"] is { } name)
            {
                item["apiVersion"] ??= resource.ApiVersion;
                item["kind"] ??= resource.Kind;
                Materialize(item);
                byName[name] = item;
            }
        }

        return byName;
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialize(child);
                }

                break;
        }
    }
}
