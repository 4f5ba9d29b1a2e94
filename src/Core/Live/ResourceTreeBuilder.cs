using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Kube;
using Ferry.Core.Status;

namespace Ferry.Core.Live;

/// <summary>
/// Builds an app's resource tree from the live cluster: the managed objects (one list per resource and namespace, as a sync reads them),
/// then, level by level, the objects whose ownerReferences name a node — ReplicaSets of Deployments, Pods of ReplicaSets, StatefulSets,
/// DaemonSets and Jobs, Jobs of CronJobs — listed only in the app's namespaces and only for kinds that can have such an owner.
/// </summary>
public static class ResourceTreeBuilder
{
    // The kinds controllers create for an owner's kind (apiVersion, kind), as Argo CD's tree shows them.
    private static readonly Dictionary<string, (string ApiVersion, string Kind)[]> ChildKinds = new(StringComparer.Ordinal)
    {
        ["apps/Deployment"] = [("apps/v1", "ReplicaSet")],
        ["apps/ReplicaSet"] = [("v1", "Pod")],
        ["apps/StatefulSet"] = [("v1", "Pod")],
        ["apps/DaemonSet"] = [("v1", "Pod")],
        ["batch/Job"] = [("v1", "Pod")],
        ["batch/CronJob"] = [("batch/v1", "Job")],
    };

    private const int MaxDepth = 4;

    /// <summary>The tree of <paramref name="managed"/> (an app's recorded resources) as the cluster has them now.</summary>
    public static async Task<IReadOnlyList<ResourceNode>> BuildAsync(IKubeClient client, IReadOnlyList<ResourceStatus> managed, Func<JsonObject, HealthStatus?> health,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(managed);
        ArgumentNullException.ThrowIfNull(health);
        var lists = new Dictionary<(string ApiVersion, string Kind, string Namespace), IReadOnlyList<JsonObject>>();
        var builders = new List<NodeBuilder>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in managed.DistinctBy(r => (r.Group, r.Kind, r.Namespace, r.Name)))
        {
            var apiVersion = resource.Group.Length == 0 ? resource.Version : $"{resource.Group}/{resource.Version}";
            var objects = await ListAsync(client, lists, apiVersion, resource.Kind, resource.Namespace, cancellationToken);
            var live = objects?.FirstOrDefault(o => string.Equals((string?)o["metadata"]?["name"], resource.Name, StringComparison.Ordinal));
            if (live is null && resource.HookPhase is not null)
            {
                // A hook that ran and was deleted is not part of the app's tree, as in Argo CD.
                continue;
            }

            var node = new NodeBuilder(resource.Group, resource.Version, resource.Kind, resource.Namespace, resource.Name, live)
            {
                Managed = true,
                Status = resource.Status,
                Health = live is null ? new HealthStatus(HealthStatusCode.Missing, "the object does not exist in the cluster") : health(live),
            };
            builders.Add(node);
            if (node.Uid is { } uid)
            {
                seen.Add(uid);
            }
        }

        // Owned objects, level by level: a level's nodes are the owners the next level's lists are matched against.
        var level = builders.Where(b => b.Live is not null).ToList();
        for (var depth = 0; depth < MaxDepth && level.Count > 0; depth++)
        {
            var next = new List<NodeBuilder>();
            var owners = level.Where(b => b.Uid is not null).ToDictionary(b => b.Uid!, StringComparer.Ordinal);
            var wanted = level
                .Where(b => b.Namespace.Length > 0)
                .SelectMany(b => ChildKinds.GetValueOrDefault($"{b.Group}/{b.Kind}", []).Select(k => (k.ApiVersion, k.Kind, b.Namespace)))
                .Distinct()
                .OrderBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Namespace, StringComparer.Ordinal);
            foreach (var (apiVersion, kind, ns) in wanted)
            {
                foreach (var obj in await ListAsync(client, lists, apiVersion, kind, ns, cancellationToken) ?? [])
                {
                    var uid = (string?)obj["metadata"]?["uid"];
                    var owner = OwnerUids(obj).Select(o => owners.GetValueOrDefault(o)).FirstOrDefault(o => o is not null);
                    if (owner is null || uid is null || !seen.Add(uid))
                    {
                        continue;
                    }

                    var slash = apiVersion.IndexOf('/');
                    var child = new NodeBuilder(slash < 0 ? string.Empty : apiVersion[..slash], slash < 0 ? apiVersion : apiVersion[(slash + 1)..], kind, ns,
                        (string?)obj["metadata"]?["name"] ?? string.Empty, obj)
                    {
                        Health = health(obj),
                    };
                    owner.Children.Add(child);
                    next.Add(child);
                }
            }

            level = next;
        }

        return Sorted(builders);
    }

    private static IEnumerable<string> OwnerUids(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().Select(o => (string?)o["uid"]).OfType<string>() ?? [];

    /// <summary>One list per (apiVersion, kind, namespace), cached; null when the cluster does not serve the kind or refuses the list.</summary>
    private static async Task<IReadOnlyList<JsonObject>?> ListAsync(IKubeClient client, Dictionary<(string, string, string), IReadOnlyList<JsonObject>> lists,
        string apiVersion, string kind, string ns, CancellationToken cancellationToken)
    {
        if (lists.TryGetValue((apiVersion, kind, ns), out var cached))
        {
            return cached;
        }

        try
        {
            var resource = await client.ResolveAsync(apiVersion, kind, cancellationToken);
            var objects = await client.ListAsync(resource, resource.Namespaced && ns.Length > 0 ? ns : null, new ListOptions(), cancellationToken);
            lists[(apiVersion, kind, ns)] = objects;
            return objects;
        }
        catch (UnknownKindException)
        {
            return null;
        }
        catch (KubeApiException ex) when (ex.StatusCode is 403 or 404)
        {
            // The identity may not list a kind (Pods, say): the tree stops there rather than failing.
            return null;
        }
    }

    private static List<ResourceNode> Sorted(IEnumerable<NodeBuilder> builders) =>
    [
        .. builders
            .OrderBy(b => b.Group, StringComparer.Ordinal).ThenBy(b => b.Kind, StringComparer.Ordinal)
            .ThenBy(b => b.Namespace, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal)
            .Select(b => new ResourceNode
            {
                Group = b.Group,
                Version = b.Version,
                Kind = b.Kind,
                Namespace = b.Namespace,
                Name = b.Name,
                Uid = b.Uid,
                Managed = b.Managed,
                Status = b.Status,
                Health = b.Health,
                Children = Sorted(b.Children),
            }),
    ];

    private sealed class NodeBuilder(string group, string version, string kind, string ns, string name, JsonObject? live)
    {
        public string Group { get; } = group;

        public string Version { get; } = version;

        public string Kind { get; } = kind;

        public string Namespace { get; } = ns;

        public string Name { get; } = name;

        public JsonObject? Live { get; } = live;

        public string? Uid { get; } = (string?)live?["metadata"]?["uid"];

        public bool Managed { get; init; }

        public SyncStatusCode? Status { get; init; }

        public HealthStatus? Health { get; init; }

        public List<NodeBuilder> Children { get; } = [];
    }
}
