using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>The objects, transformer configuration and vars gathered while building one kustomization (kustomize's ResAccumulator).</summary>
internal sealed class ResourceAccumulator
{
    public List<KResource> Resources { get; } = [];

    public TransformerConfig Config { get; } = TransformerConfig.Empty();

    public List<JsonObject> Vars { get; } = [];

    /// <summary>The keys of the current objects, for a run of <see cref="AppendAll"/> calls with no transformation between them.</summary>
    public HashSet<string> KeyIndex() => new(Resources.Select(r => Key(r.CurId)), StringComparer.Ordinal);

    /// <summary>Appends objects; an object whose current id is already present is an error.</summary>
    public void AppendAll(IEnumerable<KResource> resources, string file, HashSet<string>? index = null)
    {
        var ids = index ?? KeyIndex();
        foreach (var resource in resources)
        {
            if (!ids.Add(Key(resource.CurId)))
            {
                throw new RenderException(file, null, $"may not add resource with an already registered id: {resource.CurId}");
            }

            Resources.Add(resource);
        }
    }

    /// <summary>A string that is equal for ids kustomize considers equal (GVK, name, effective namespace).</summary>
    public static string Key(ResId id) => $"{id.Gvk}|{id.Name}|{id.EffectiveNamespace}";

    /// <summary>Adds a generated object, merging into or replacing an existing one as its behaviour asks.</summary>
    public void Absorb(KResource resource, string file)
    {
        var id = resource.CurId;
        var matches = Resources.Where(r => r.CurId.Equals2(id) || r.PrevIds.Any(i => i.Equals2(id))).ToList();
        if (matches.Count == 0)
        {
            if (resource.Behavior is "merge" or "replace")
            {
                throw new RenderException(file, null, $"id {id} does not exist; cannot merge or replace");
            }

            Resources.Add(resource);
            return;
        }

        if (matches.Count > 1)
        {
            throw new RenderException(file, null, $"multiple matches for id {id}");
        }

        var old = matches[0];
        switch (resource.Behavior)
        {
            case "replace":
                resource.CopyIdentityFrom(old);
                break;
            case "merge":
                var oldOrigin = old.Annotations?["config.kubernetes.io/origin"]?.DeepClone();
                resource.CopyIdentityFrom(old);
                if (oldOrigin is not null)
                {
                    resource.Annotations!["config.kubernetes.io/origin"] = oldOrigin;
                }

                foreach (var field in new[] { "data", "binaryData" })
                {
                    var merged = KResource.MergeMaps(old.Obj[field] as JsonObject, resource.Obj[field] as JsonObject);
                    if (merged.Count > 0)
                    {
                        resource.Obj[field] = merged;
                    }
                    else
                    {
                        resource.Obj.Remove(field);
                    }
                }

                break;
            default:
                throw new RenderException(file, null, $"id {id} exists; behavior must be merge or replace");
        }

        Resources[Resources.IndexOf(old)] = resource;
    }

    /// <summary>Adds a kustomization's own vars, binding each to the one accumulated object it names (kustomize's MergeVars).</summary>
    public void MergeVars(IEnumerable<JsonObject> vars, string file)
    {
        foreach (var v in vars)
        {
            var name = (string?)v["name"] ?? string.Empty;
            var objref = v["objref"] as JsonObject ?? [];
            var apiVersion = (string?)objref["apiVersion"];
            var gvk = string.IsNullOrEmpty(apiVersion)
                ? new Gvk((string?)objref["group"] ?? string.Empty, (string?)objref["version"] ?? string.Empty, (string?)objref["kind"] ?? string.Empty)
                : Gvk.FromApiVersion(apiVersion, (string?)objref["kind"]);
            var target = new ResId(gvk, (string?)objref["name"] ?? string.Empty, (string?)objref["namespace"] ?? string.Empty);
            var exact = target.Namespace.Length > 0 || gvk.IsClusterScoped;
            var matched = Resources.Where(r => r.PrevIds.Append(r.CurId).Any(id => exact ? id.Equals2(target) : id.GvknEquals(target))).ToList();
            if (matched.Count > 1)
            {
                throw new RenderException(file, null, $"found {matched.Count} resId matches for var {name} (unable to disambiguate)");
            }

            if (matched.Count == 1)
            {
                matched[0].RefVarNames.Add(name);
            }

            AddVar(v, name, file);
        }
    }

    /// <summary>Takes over a sub-kustomization's objects, configuration and (already bound) vars.</summary>
    public void MergeAccumulator(ResourceAccumulator other, string file, HashSet<string>? index = null)
    {
        AppendAll(other.Resources, file, index);
        Config.Merge(other.Config, file);
        foreach (var v in other.Vars)
        {
            AddVar(v, (string?)v["name"] ?? string.Empty, file);
        }
    }

    private void AddVar(JsonObject v, string name, string file)
    {
        if (Vars.Any(x => (string?)x["name"] == name))
        {
            throw new RenderException(file, null, $"var '{name}' already encountered");
        }

        Vars.Add(v);
    }
}
