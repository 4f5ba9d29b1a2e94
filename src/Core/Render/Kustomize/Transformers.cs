using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>The simple builtin transformers: namespace, name prefix and suffix, labels, annotations, replicas.</summary>
internal static class Transformers
{
    private static readonly Gvk[] PrefixSkip =
    [
        new("", "", "CustomResourceDefinition"),
        new("apiregistration.k8s.io", "", "APIService"),
        new("", "", "Namespace"),
    ];

    public static void Namespace(List<KResource> resources, string ns, IReadOnlyList<FieldSpec> specs, bool unsetOnly, string subjectMode)
    {
        if (ns.Length == 0)
        {
            return;
        }

        foreach (var r in resources)
        {
            r.StorePreviousId();
            var gvk = r.Gvk;
            void Set(JsonObject parent, string key)
            {
                if (unsetOnly && parent[key] is JsonValue v && v.TryGetValue<string>(out var existing) && existing.Length > 0)
                {
                    return;
                }

                parent[key] = ns;
            }

            if (!gvk.IsClusterScoped)
            {
                Set(r.Metadata(), "namespace");
            }

            var isBinding = gvk.Kind is "RoleBinding" or "ClusterRoleBinding";
            if (isBinding && r.Obj["subjects"] is JsonArray subjects && subjectMode != "none")
            {
                foreach (var subject in subjects.OfType<JsonObject>())
                {
                    var match = subjectMode == "allServiceAccounts"
                        ? (string?)subject["kind"] == "ServiceAccount"
                        : (string?)subject["name"] == "default";
                    if (match)
                    {
                        Set(subject, "namespace");
                    }
                }
            }

            foreach (var spec in specs)
            {
                if (spec.Path == "metadata/namespace" || (spec.Path == "metadata/name" && gvk.ApiVersion != "v1"))
                {
                    continue;
                }

                if (isBinding && spec.Path == "subjects/namespace")
                {
                    continue;
                }

                FieldWalker.Walk(r, spec, CreateKind.Scalar, Set);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in resources)
        {
            if (!seen.Add(ResourceAccumulator.Key(r.CurId)))
            {
                throw new RenderException(r.Source, null, $"namespace transformation produces ID conflict: {r.CurId}");
            }
        }
    }

    public static void PrefixSuffix(List<KResource> resources, string? prefix, string? suffix, IReadOnlyList<FieldSpec> specs)
    {
        prefix ??= string.Empty;
        suffix ??= string.Empty;
        if (prefix.Length == 0 && suffix.Length == 0)
        {
            return;
        }

        foreach (var r in resources)
        {
            var org = r.OrgId;
            if (PrefixSkip.Any(s => org.Gvk.IsSelectedBy(s)))
            {
                continue;
            }

            foreach (var spec in specs)
            {
                if (!org.Gvk.IsSelectedBy(spec.Selector))
                {
                    continue;
                }

                if (spec.Path == "metadata/name")
                {
                    if (prefix.Length > 0)
                    {
                        r.Prefixes.Add(prefix);
                    }

                    if (suffix.Length > 0)
                    {
                        r.Suffixes.Add(suffix);
                    }

                    r.StorePreviousId();
                }

                FieldWalker.Walk(r.Obj, spec, CreateKind.Scalar, (parent, key) => parent[key] = prefix + ScalarText(parent[key]) + suffix, checkGvk: false);
            }
        }
    }

    /// <summary>Adds string entries to the mappings the specs name (labels, annotations, selectors).</summary>
    public static void AddMapEntries(List<KResource> resources, IReadOnlyDictionary<string, string> entries, IReadOnlyList<FieldSpec> specs)
    {
        if (entries.Count == 0)
        {
            return;
        }

        void Add(JsonObject parent, string key)
        {
            if (parent[key] is not JsonObject map)
            {
                if (parent[key] is not null)
                {
                    return;
                }

                map = [];
                parent[key] = map;
            }

            foreach (var (k, v) in entries)
            {
                map[k] = v;
            }
        }

        foreach (var r in resources)
        {
            foreach (var spec in specs)
            {
                FieldWalker.Walk(r, spec, CreateKind.Map, Add);
            }
        }
    }

    public static void Replicas(List<KResource> resources, string name, long count, IReadOnlyList<FieldSpec> specs)
    {
        foreach (var r in resources)
        {
            if (!r.AllIds.Any(id => id.Name == name) && r.Name != name)
            {
                continue;
            }

            foreach (var spec in specs)
            {
                FieldWalker.Walk(r, spec, CreateKind.Scalar, (parent, key) => parent[key] = count);
            }
        }
    }

    public static string ScalarText(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (k, v) in obj)
            {
                result[k] = ScalarText(v);
            }
        }

        return result;
    }
}
