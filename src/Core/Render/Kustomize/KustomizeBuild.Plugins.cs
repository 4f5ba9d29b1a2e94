using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Builtin transformer plugins configured through a kustomization's `transformers:` list.</summary>
internal sealed partial class KustomizeBuild
{
    private void RunPlugin(ResourceAccumulator ra, Kustomization k, JsonObject plugin)
    {
        var file = Rel(k.File);
        var kind = (string?)plugin["kind"] ?? string.Empty;
        if (!IsBuiltin(plugin))
        {
            throw new RenderException(file, null, $"transformers: plugin {plugin["apiVersion"]}/{kind} is not supported (only kustomize's builtin transformers; exec and Go plugins are not run)");
        }

        var resources = ra.Resources;
        List<FieldSpec> Specs() => (plugin["fieldSpecs"] as JsonArray ?? []).OfType<JsonObject>().Select(FieldSpec.Parse).ToList();
        switch (kind)
        {
            case "PrefixSuffixTransformer":
                Transformers.PrefixSuffix(resources, (string?)plugin["prefix"], null, Specs());
                Transformers.PrefixSuffix(resources, null, (string?)plugin["suffix"], Specs());
                break;
            case "PrefixTransformer":
                Transformers.PrefixSuffix(resources, (string?)plugin["prefix"], null, Specs());
                break;
            case "SuffixTransformer":
                Transformers.PrefixSuffix(resources, null, (string?)plugin["suffix"], Specs());
                break;
            case "LabelTransformer":
                Transformers.AddMapEntries(resources, Transformers.StringMap(plugin["labels"]), Specs());
                break;
            case "AnnotationsTransformer":
                Transformers.AddMapEntries(resources, Transformers.StringMap(plugin["annotations"]), Specs());
                break;
            case "NamespaceTransformer":
                Transformers.Namespace(
                    resources,
                    (string?)plugin["metadata"]?["namespace"] ?? string.Empty,
                    Specs(),
                    Flag(plugin["unsetOnly"]),
                    (string?)plugin["setRoleBindingSubjects"] switch
                    {
                        "allServiceAccounts" => "allServiceAccounts",
                        "none" => "none",
                        _ => "defaultOnly",
                    });
                break;
            case "ImageTagTransformer":
                ImageTransformer.Apply(resources, plugin["imageTag"] as JsonObject ?? [], Specs());
                break;
            case "ReplicaCountTransformer":
                var replica = plugin["replica"] as JsonObject ?? [];
                Transformers.Replicas(resources, (string?)replica["name"] ?? string.Empty, Count(replica["count"]), Specs());
                break;
            case "PatchTransformer":
                ApplyPatchEntry(resources, k, plugin, "transformers");
                break;
            case "PatchJson6902Transformer":
                var entry = new JsonObject { ["target"] = plugin["target"]?.DeepClone() };
                if ((string?)plugin["path"] is { } path)
                {
                    entry["path"] = path;
                }
                else
                {
                    entry["patch"] = (string?)plugin["jsonOp"];
                }

                ApplyPatchEntry(resources, k, entry, "transformers");
                break;
            case "PatchStrategicMergeTransformer":
                foreach (var p in Strings(plugin["paths"]))
                {
                    foreach (var patch in LoadPatchDocuments(k, p, "transformers"))
                    {
                        ApplySmPatchById(resources, patch, file, false, false);
                    }
                }

                if ((string?)plugin["patches"] is { } inline)
                {
                    foreach (var patch in LoadPatchDocuments(k, inline + "\n", "transformers"))
                    {
                        ApplySmPatchById(resources, patch, file, false, false);
                    }
                }

                break;
            case "ReplacementTransformer":
                Replacements.Apply(resources, ExpandReplacements(k, plugin["replacements"] as JsonArray ?? [], "transformers"), file);
                break;
            case "HashTransformer":
                foreach (var r in resources.Where(r => r.NeedsHash))
                {
                    r.StorePreviousId();
                    r.Name = r.Name + "-" + ContentHash.Of(r.Obj);
                    r.NeedsHash = false;
                }

                break;
            case "ValueAddTransformer":
                if ((string?)plugin["targetFilePath"] is { Length: > 0 } targetFile)
                {
                    var targets = new JsonArray();
                    foreach (var doc in ReadYaml(ResolvePath(k, targetFile, "transformers")))
                    {
                        var list = doc.Root as JsonArray ?? doc.Root?["targets"] as JsonArray ?? [doc.Root];
                        foreach (var t in list)
                        {
                            targets.Add(t?.DeepClone());
                        }
                    }

                    plugin = (JsonObject)plugin.DeepClone();
                    plugin["targets"] = targets;
                }

                ValueAdd(resources, plugin, Path.GetFileName(k.Directory));
                break;
            case "LegacyOrderTransformer":
            case "SortOrderTransformer":
                var sorted = Sort(resources, new Kustomization(k.Directory, k.File, new JsonObject { ["sortOptions"] = plugin["sortOptions"]?.DeepClone() }));
                resources.Clear();
                resources.AddRange(sorted);
                break;
            default:
                throw new RenderException(file, null, $"transformers: builtin plugin '{kind}' is not supported");
        }
    }

    private static void ValueAdd(List<KResource> resources, JsonObject plugin, string defaultValue)
    {
        var value = (string?)plugin["value"] is { Length: > 0 } v ? v : defaultValue;
        foreach (var target in (plugin["targets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var selected = target["selector"] is JsonObject s ? new Selector(s).Select(resources) : resources;
            var fieldPath = (string?)target["fieldPath"] ?? "metadata/namespace";
            var spec = new FieldSpec(Gvk.Empty, fieldPath, true);
            foreach (var r in selected)
            {
                if (fieldPath == "metadata/namespace" && r.Gvk.IsClusterScoped)
                {
                    continue;
                }

                FieldWalker.Walk(r.Obj, spec, CreateKind.Scalar, (parent, key) =>
                {
                    var existing = Transformers.ScalarText(parent[key]);
                    if (target["filePathPosition"] is JsonValue pos && pos.TryGetValue<long>(out var position) && position > 0)
                    {
                        var parts = existing.Split('/').ToList();
                        var index = (int)position - 1;
                        if (index >= parts.Count)
                        {
                            parts.Add(value);
                        }
                        else
                        {
                            parts.Insert(index, value);
                        }

                        parent[key] = string.Join('/', parts.Where(p => p.Length > 0));
                    }
                    else
                    {
                        parent[key] = value;
                    }
                }, checkGvk: false);
            }
        }
    }
}
