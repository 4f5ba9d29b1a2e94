using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Ferry.Simulator.Discovery;

/// <summary>The resources the simulator serves: the built-in table plus those CustomResourceDefinitions add; answers discovery.</summary>
internal sealed class ResourceRegistry
{
    private static readonly string[] CustomVerbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

    private readonly Lock gate = new();
    private readonly Dictionary<string, IReadOnlyList<ResourceType>> custom = new(StringComparer.Ordinal);
    private volatile Snapshot current;

    public ResourceRegistry()
    {
        current = Build([]);
    }

    /// <summary>Finds a resource by its REST path parts.</summary>
    public ResourceType? Find(string group, string version, string plural) =>
        current.ByPath.GetValueOrDefault($"{group}/{version}/{plural}");

    /// <summary>Finds the resource serving an apiVersion and kind.</summary>
    public ResourceType? FindKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? (string.Empty, apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return current.ByKind.GetValueOrDefault($"{group}/{version}/{kind}");
    }

    /// <summary>Finds any served version of a group and kind (objects are stored once per group and resource).</summary>
    public ResourceType? FindGroupKind(string group, string kind) =>
        current.All.FirstOrDefault(r => r.Group == group && r.Kind == kind);

    /// <summary>Whether the group-version is served at all.</summary>
    public bool Serves(string group, string version) => current.GroupVersions.Contains($"{group}/{version}");

    /// <summary>Every served resource.</summary>
    public IReadOnlyList<ResourceType> All => current.All;

    /// <summary>Registers (or replaces) the resources a CustomResourceDefinition defines.</summary>
    public void Define(JsonObject crd)
    {
        var name = (string?)crd["metadata"]?["name"] ?? string.Empty;
        var types = FromCustomResourceDefinition(crd);
        lock (gate)
        {
            custom[name] = types;
            current = Build(custom.Values.SelectMany(t => t));
        }
    }

    /// <summary>Forgets the resources of a deleted CustomResourceDefinition.</summary>
    public void Undefine(string crdName)
    {
        lock (gate)
        {
            if (custom.Remove(crdName))
            {
                current = Build(custom.Values.SelectMany(t => t));
            }
        }
    }

    /// <summary>Forgets every CustomResourceDefinition.</summary>
    public void Reset()
    {
        lock (gate)
        {
            custom.Clear();
            current = Build([]);
        }
    }

    /// <summary>The <c>/api</c> document.</summary>
    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>The <c>/apis</c> document.</summary>
    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var (group, versions) in current.Groups)
        {
            groups.Add(GroupDocument(group, versions, withKind: false));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary>The <c>/apis/&lt;group&gt;</c> document, or null when the group is not served.</summary>
    public JsonObject? Group(string group)
    {
        foreach (var (name, versions) in current.Groups)
        {
            if (name == group)
            {
                return GroupDocument(name, versions, withKind: true);
            }
        }

        return null;
    }

    /// <summary>The <c>/api/v1</c> or <c>/apis/&lt;group&gt;/&lt;version&gt;</c> document, or null when not served.</summary>
    public JsonObject? ResourceList(string group, string version)
    {
        if (!Serves(group, version))
        {
            return null;
        }

        var entries = new List<(string Name, JsonObject Entry)>();
        foreach (var r in current.All.Where(r => r.Group == group && r.Version == version))
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.SingularName,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(r.Verbs),
            };
            if (r.ShortNames.Count > 0)
            {
                entry["shortNames"] = Strings(r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                entry["categories"] = Strings(r.Categories);
            }

            if (r.Verbs.Contains("watch"))
            {
                // Only resources kept in storage carry a hash (not bindings, reviews or componentstatuses).
                entry["storageVersionHash"] = r.StorageVersionHash;
            }
            entries.Add((r.Plural, entry));
            foreach (var s in r.Subresources)
            {
                var sub = new JsonObject { ["name"] = $"{r.Plural}/{s.Name}", ["singularName"] = string.Empty, ["namespaced"] = r.Namespaced };
                if (s.Group is not null)
                {
                    sub["group"] = s.Group;
                    sub["version"] = s.Version;
                }

                sub["kind"] = s.Kind;
                sub["verbs"] = Strings(s.Verbs);
                entries.Add((sub["name"]!.GetValue<string>(), sub));
            }
        }

        var resources = new JsonArray();
        foreach (var (_, entry) in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            resources.Add(entry);
        }

        var document = new JsonObject { ["kind"] = "APIResourceList" };
        if (group.Length > 0)
        {
            document["apiVersion"] = "v1";
        }

        document["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}";
        document["resources"] = resources;
        return document;
    }

    private static JsonObject GroupDocument(string group, IReadOnlyList<string> versions, bool withKind)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }

        var document = new JsonObject();
        if (withKind)
        {
            document["kind"] = "APIGroup";
            document["apiVersion"] = "v1";
        }

        document["name"] = group;
        document["versions"] = list;
        document["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] };
        return document;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static ResourceType[] FromCustomResourceDefinition(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var names = spec?["names"] as JsonObject;
        var group = (string?)spec?["group"] ?? string.Empty;
        var kind = (string?)names?["kind"] ?? string.Empty;
        var plural = (string?)names?["plural"] ?? kind.ToLowerInvariant() + "s";
        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToArray() ?? [];
        var storage = versions.FirstOrDefault(v => (bool?)v["storage"] == true)?["name"]?.GetValue<string>();
        return versions
            .Where(v => (bool?)v["served"] != false)
            .Select(v => new ResourceType
            {
                Group = group,
                Version = (string?)v["name"] ?? "v1",
                Plural = plural,
                Kind = kind,
                SingularName = (string?)names?["singular"] ?? kind.ToLowerInvariant(),
                Namespaced = (string?)spec?["scope"] != "Cluster",
                Verbs = CustomVerbs,
                ShortNames = (names?["shortNames"] as JsonArray)?.Select(n => (string?)n ?? string.Empty).ToArray() ?? [],
                Categories = (names?["categories"] as JsonArray)?.Select(n => (string?)n ?? string.Empty).ToArray() ?? [],
                StorageGroupVersion = storage is null ? null : $"{group}/{storage}",
                HasGeneration = true,
                IsCustom = true,
                Subresources = CustomSubresources(v["subresources"] as JsonObject, kind),
            })
            .ToArray();
    }

    private static Subresource[] CustomSubresources(JsonObject? subresources, string kind)
    {
        var result = new List<Subresource>();
        if (subresources?["scale"] is not null)
        {
            result.Add(new Subresource("scale", "Scale", "autoscaling", "v1", ["get", "patch", "update"]));
        }

        if (subresources?["status"] is not null)
        {
            result.Add(new Subresource("status", kind, null, null, ["get", "patch", "update"]));
        }

        return [.. result];
    }

    private static Snapshot Build(IEnumerable<ResourceType> customTypes)
    {
        var all = BuiltInResources.All.Concat(customTypes).ToList();
        var groups = BuiltInResources.GroupOrder.ToList();
        foreach (var g in all.Where(r => r.IsCustom).GroupBy(r => r.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var versions = g.Select(r => r.Version).Distinct().OrderByDescending(VersionPriority).ToList();
            var existing = groups.FindIndex(x => x.Group == g.Key);
            if (existing >= 0)
            {
                groups[existing] = (g.Key, groups[existing].Versions.Concat(versions).Distinct().ToList());
            }
            else
            {
                groups.Add((g.Key, versions));
            }
        }

        return new Snapshot(
            all,
            all.GroupBy(r => $"{r.Group}/{r.Version}/{r.Plural}").ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal),
            all.GroupBy(r => $"{r.Group}/{r.Version}/{r.Kind}").ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal),
            all.Select(r => $"{r.Group}/{r.Version}").ToFrozenSet(StringComparer.Ordinal),
            groups);
    }

    /// <summary>Orders Kubernetes versions: GA before beta before alpha, higher numbers first.</summary>
    private static int VersionPriority(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, "^v([0-9]+)(?:(alpha|beta)([0-9]+))?$");
        if (!match.Success)
        {
            return 0;
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "alpha" => 1, "beta" => 2, _ => 3 };
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (stage * 1000 + major) * 1000 + minor;
    }

    private sealed record Snapshot(
        IReadOnlyList<ResourceType> All,
        FrozenDictionary<string, ResourceType> ByPath,
        FrozenDictionary<string, ResourceType> ByKind,
        FrozenSet<string> GroupVersions,
        IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups);
}
