using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Render.Kustomize;

/// <summary>The transformer stage of a build: kustomization fields in kustomize's order, then the `transformers:` list.</summary>
internal sealed partial class KustomizeBuild
{
    private void RunTransformers(ResourceAccumulator ra, Kustomization k)
    {
        var c = k.Content;
        var file = Rel(k.File);
        var resources = ra.Resources;
        var config = ra.Config;

        // patchesStrategicMerge
        foreach (var entry in Strings(c["patchesStrategicMerge"]))
        {
            foreach (var patch in LoadPatchDocuments(k, entry, "patchesStrategicMerge"))
            {
                ApplySmPatchById(resources, patch, file, allowNameChange: false, allowKindChange: false);
            }
        }

        if (Strings(c["patchesStrategicMerge"]).Any())
        {
            MarkTransformed(resources, k.File, "PatchStrategicMergeTransformer");
        }

        // patches
        foreach (var entry in (c["patches"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ApplyPatchEntry(resources, k, entry, "patches");
            MarkTransformed(resources, k.File, "PatchTransformer");
        }

        // namespace
        if ((string?)c["namespace"] is { Length: > 0 } ns)
        {
            Transformers.Namespace(resources, ns, config.Namespace, unsetOnly: false, "defaultOnly");
            MarkTransformed(resources, k.File, "NamespaceTransformer");
        }

        // prefix, suffix
        if ((string?)c["namePrefix"] is { Length: > 0 } prefix)
        {
            Transformers.PrefixSuffix(resources, prefix, null, config.NamePrefix);
            MarkTransformed(resources, k.File, "PrefixTransformer");
        }

        if ((string?)c["nameSuffix"] is { Length: > 0 } suffix)
        {
            Transformers.PrefixSuffix(resources, null, suffix, config.NameSuffix);
            MarkTransformed(resources, k.File, "SuffixTransformer");
        }

        // labels
        foreach (var label in (c["labels"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var specs = (label["fields"] as JsonArray ?? []).OfType<JsonObject>().Select(FieldSpec.Parse).ToList();
            specs.AddRange(config.Labels);
            if (Flag(label["includeSelectors"]))
            {
                specs.AddRange(config.CommonLabels);
            }
            else
            {
                if (Flag(label["includeTemplates"]))
                {
                    specs.AddRange(config.TemplateLabels);
                }

                specs.Add(new FieldSpec(Gvk.Empty, "metadata/labels", true));
            }

            Transformers.AddMapEntries(resources, Transformers.StringMap(label["pairs"]), Dedupe(specs));
            MarkTransformed(resources, k.File, "LabelTransformer");
        }

        if (c["labels"] is JsonArray { Count: > 0 } || c["commonLabels"] is JsonObject { Count: > 0 })
        {
            Transformers.AddMapEntries(resources, Transformers.StringMap(c["commonLabels"]), config.CommonLabels);
            MarkTransformed(resources, k.File, "LabelTransformer");
        }

        if (c["commonAnnotations"] is JsonObject { Count: > 0 })
        {
            Transformers.AddMapEntries(resources, Transformers.StringMap(c["commonAnnotations"]), config.CommonAnnotations);
            MarkTransformed(resources, k.File, "AnnotationsTransformer");
        }

        // patchesJson6902
        foreach (var entry in (c["patchesJson6902"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ApplyPatchEntry(resources, k, entry, "patchesJson6902");
            MarkTransformed(resources, k.File, "PatchJson6902Transformer");
        }

        foreach (var replica in (c["replicas"] as JsonArray ?? []).OfType<JsonObject>())
        {
            Transformers.Replicas(resources, (string?)replica["name"] ?? string.Empty, Count(replica["count"]), config.Replicas);
            MarkTransformed(resources, k.File, "ReplicaCountTransformer");
        }

        foreach (var image in (c["images"] as JsonArray ?? []).Concat(c["imageTags"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ImageTransformer.Apply(resources, image, config.Images);
            MarkTransformed(resources, k.File, "ImageTagTransformer");
        }

        if (c["replacements"] is JsonArray replacements)
        {
            Replacements.Apply(resources, ExpandReplacements(k, replacements, "replacements"), file);
            MarkTransformed(resources, k.File, "ReplacementTransformer");
        }

        foreach (var plugin in PluginConfigs(k, "transformers"))
        {
            RunPlugin(ra, k, plugin.Obj);
            MarkTransformed(ra.Resources, plugin.ConfigFile ?? k.File, (string?)plugin.Obj["kind"] ?? string.Empty, plugin.Obj);
        }
    }

    private static bool Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static long Count(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var l) ? l : long.TryParse(Transformers.ScalarText(node), out var p) ? p : 0;

    private static List<FieldSpec> Dedupe(List<FieldSpec> specs)
    {
        var result = new List<FieldSpec>();
        foreach (var s in specs)
        {
            if (!result.Any(r => r.Selector == s.Selector && r.Path == s.Path))
            {
                result.Add(s);
            }
        }

        return result;
    }

    private List<JsonObject> ExpandReplacements(Kustomization k, JsonArray list, string field)
    {
        var result = new List<JsonObject>();
        foreach (var item in list.OfType<JsonObject>())
        {
            if ((string?)item["path"] is { } path)
            {
                var full = ResolvePath(k, path, field);
                foreach (var doc in ReadYaml(full))
                {
                    switch (doc.Root)
                    {
                        case JsonArray array:
                            result.AddRange(array.OfType<JsonObject>());
                            break;
                        case JsonObject obj:
                            result.Add(obj);
                            break;
                    }
                }
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Patch documents from a file path or inline text.</summary>
    private List<JsonNode> LoadPatchDocuments(Kustomization k, string entry, string field)
    {
        if (!entry.Contains('\n') && !entry.TrimStart().StartsWith('[') && !entry.TrimStart().StartsWith('{'))
        {
            var full = ResolvePath(k, entry, field);
            if (File.Exists(full))
            {
                return [.. ReadYaml(full, YamlDuplicateKeys.FirstWins, YamlScalars.KustomizePatch).Where(d => d.Root is not null).Select(d => d.Root!.DeepClone())];
            }

            if (!entry.Contains(':'))
            {
                throw new RenderException(Rel(k.File), null, $"{field}: '{entry}' does not exist");
            }
        }

        try
        {
            return [.. YamlReader.ReadAll(entry, Rel(k.File), YamlDuplicateKeys.FirstWins, YamlScalars.KustomizePatch).Where(d => d.Root is not null).Select(d => d.Root!)];
        }
        catch (YamlFormatException ex)
        {
            throw new RenderException(Rel(k.File), null, $"{field}: inline patch: {ex.Reason}", ex);
        }
    }

    private void ApplyPatchEntry(List<KResource> resources, Kustomization k, JsonObject entry, string field)
    {
        var file = Rel(k.File);
        var text = (string?)entry["patch"];
        var path = (string?)entry["path"];
        if (text is null && path is null)
        {
            throw new RenderException(file, null, $"{field}: an entry needs a patch or a path");
        }

        if (text is not null && path is not null)
        {
            throw new RenderException(file, null, $"{field}: patch and path cannot both be set");
        }

        List<JsonNode> docs;
        if (path is not null)
        {
            var full = ResolvePath(k, path, field);
            if (!File.Exists(full))
            {
                throw new RenderException(file, null, $"{field}: '{path}' does not exist");
            }

            docs = [.. ReadYaml(full, YamlDuplicateKeys.FirstWins, YamlScalars.KustomizePatch).Where(d => d.Root is not null).Select(d => d.Root!.DeepClone())];
        }
        else
        {
            try
            {
                docs = [.. YamlReader.ReadAll(text!, file, YamlDuplicateKeys.FirstWins, YamlScalars.KustomizePatch).Where(d => d.Root is not null).Select(d => d.Root!)];
            }
            catch (YamlFormatException ex)
            {
                throw new RenderException(file, null, $"{field}: inline patch: {ex.Reason}", ex);
            }
        }

        var target = entry["target"] as JsonObject;
        var options = entry["options"] as JsonObject;
        var allowNameChange = Flag(options?["allowNameChange"]);
        var allowKindChange = Flag(options?["allowKindChange"]);
        // kustomize reads a JSON patch from the first document only (YAML-to-JSON conversion stops there).
        if (docs.Count >= 1 && docs[0] is JsonArray operations)
        {
            if (target is null)
            {
                throw new RenderException(file, null, $"{field}: a JSON patch needs a target");
            }

            foreach (var r in new Selector(target).Select(resources))
            {
                r.StorePreviousId();
                JsonPatch.Apply(r.Obj, operations, path ?? file);
            }

            return;
        }

        var patches = docs.OfType<JsonObject>().ToList();
        if (target is null)
        {
            foreach (var patch in patches)
            {
                ApplySmPatchById(resources, patch, file, allowNameChange, allowKindChange);
            }

            return;
        }

        if (patches.Count > 1)
        {
            throw new RenderException(file, null, $"{field}: multiple strategic merge patches in one entry cannot have a target");
        }

        foreach (var r in new Selector(target).Select(resources))
        {
            ApplySmPatch(resources, r, patches[0], allowNameChange, allowKindChange);
        }
    }

    private void ApplySmPatchById(List<KResource> resources, JsonNode patchNode, string file, bool allowNameChange, bool allowKindChange)
    {
        if (patchNode is not JsonObject patch)
        {
            throw new RenderException(file, null, "a strategic merge patch must be a mapping");
        }

        var id = new ResId(
            Gvk.FromApiVersion((string?)patch["apiVersion"], (string?)patch["kind"]),
            (string?)patch["metadata"]?["name"] ?? string.Empty,
            (string?)patch["metadata"]?["namespace"] ?? string.Empty);
        var matches = resources.Where(r => r.CurId.Equals2(id) || r.PrevIds.Any(p => p.Equals2(id))).ToList();
        if (matches.Count == 0)
        {
            // An id without namespace may still name a single object by group, kind and name.
            matches = [.. resources.Where(r => r.AllIds.Append(r.CurId).Any(x => x.GvknEquals(id)))];
            if (matches.Count != 1 || id.Namespace.Length > 0)
            {
                throw new RenderException(file, null, $"no resource matches strategic merge patch \"{id}\"");
            }
        }

        if (matches.Count > 1)
        {
            throw new RenderException(file, null, $"multiple resources match strategic merge patch \"{id}\"");
        }

        ApplySmPatch(resources, matches[0], patch, allowNameChange, allowKindChange);
    }

    private void ApplySmPatch(List<KResource> resources, KResource r, JsonObject patch, bool allowNameChange, bool allowKindChange)
    {
        var (name, ns, kind, apiVersion) = (r.Name, r.Namespace, r.Kind, r.Obj["apiVersion"]?.DeepClone());
        if (allowNameChange || allowKindChange)
        {
            r.StorePreviousId();
        }

        var merged = StrategicMerge.Apply(r.Obj, patch, schema);
        if (merged is null || merged.Count == 0)
        {
            resources.Remove(r);
            return;
        }

        r.Obj = merged;
        if (!allowKindChange)
        {
            r.Obj["kind"] = kind;
            if (apiVersion is null)
            {
                r.Obj.Remove("apiVersion");
            }
            else
            {
                r.Obj["apiVersion"] = apiVersion;
            }
        }

        if (!allowNameChange)
        {
            r.Name = name;
        }

        if (ns.Length > 0)
        {
            r.Namespace = ns;
        }
        else if (r.Obj["metadata"] is JsonObject m)
        {
            m.Remove("namespace");
        }
    }

    private void ApplyOverrides(JsonObject content, KustomizeOptions options)
    {
        if (options.NamePrefix is { Length: > 0 } prefix)
        {
            content["namePrefix"] = prefix;
        }

        if (options.NameSuffix is { Length: > 0 } suffix)
        {
            content["nameSuffix"] = suffix;
        }

        if (options.Namespace is { Length: > 0 } ns)
        {
            content["namespace"] = ns;
        }

        if (options.CommonLabels.Count > 0)
        {
            var labels = content["commonLabels"] as JsonObject ?? [];
            foreach (var (key, value) in options.CommonLabels)
            {
                labels[key] = value;
            }

            content["commonLabels"] = labels;
        }

        if (options.CommonAnnotations.Count > 0)
        {
            var annotations = content["commonAnnotations"] as JsonObject ?? [];
            foreach (var (key, value) in options.CommonAnnotations)
            {
                annotations[key] = value;
            }

            content["commonAnnotations"] = annotations;
        }

        if (options.Images.Count > 0)
        {
            var images = content["images"] as JsonArray ?? [];
            foreach (var spec in options.Images)
            {
                var image = ImageOverride.Parse(spec);
                var existing = images.OfType<JsonObject>().FirstOrDefault(i => (string?)i["name"] == (string?)image["name"]);
                if (existing is not null)
                {
                    images.Remove(existing);
                }

                // As `kustomize edit set image`: "*" keeps the existing entry's value for that part.
                foreach (var part in new[] { "newName", "newTag", "digest" })
                {
                    if ((string?)image[part] == "*")
                    {
                        if ((string?)existing?[part] is { Length: > 0 } kept)
                        {
                            image[part] = kept;
                        }
                        else
                        {
                            image.Remove(part);
                        }
                    }
                }

                images.Add((JsonNode)image);
            }

            // `kustomize edit set image` writes the list sorted by name.
            var sorted = images.OfType<JsonObject>().OrderBy(i => (string?)i["name"], StringComparer.Ordinal).Select(i => i.DeepClone()).ToList();
            images = [.. sorted];
            content["images"] = images;
        }

        if (options.Replicas.Count > 0)
        {
            var replicas = content["replicas"] as JsonArray ?? [];
            foreach (var replica in options.Replicas)
            {
                var existing = replicas.OfType<JsonObject>().FirstOrDefault(i => (string?)i["name"] == replica.Name);
                if (existing is not null)
                {
                    replicas.Remove(existing);
                }

                replicas.Add((JsonNode)new JsonObject { ["name"] = replica.Name, ["count"] = replica.Count });
            }

            content["replicas"] = replicas;
        }
    }
}
