using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>kustomize's replacements: copy a field of one object into fields of selected objects.</summary>
internal static class Replacements
{
    public static void Apply(List<KResource> resources, List<JsonObject> replacements, string file)
    {
        foreach (var replacement in replacements)
        {
            var value = SourceValue(resources, replacement, file);
            foreach (var target in (replacement["targets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (target["select"] is not JsonObject select)
                {
                    throw new RenderException(file, null, "replacements: target must specify resources to select");
                }

                var selector = new Selector(select);
                var rejects = (target["reject"] as JsonArray ?? []).OfType<JsonObject>().Select(j => new Selector(j)).ToList();
                var options = target["options"] as JsonObject;
                var create = options?["create"] is JsonValue c && c.TryGetValue<bool>(out var cv) && cv;
                foreach (var r in resources)
                {
                    if (!SelectMatches(selector, select, r) || rejects.Any(x => x.Matches(r)))
                    {
                        continue;
                    }

                    var paths = (target["fieldPaths"] as JsonArray ?? []).Select(p => (string?)p ?? string.Empty).ToList();
                    if (paths.Count == 0)
                    {
                        paths.Add("metadata.name");
                    }

                    foreach (var path in paths)
                    {
                        var found = FieldPath.Resolve(r.Obj, path, create);
                        if (found.Count == 0 && !create)
                        {
                            throw new RenderException(file, null, $"replacements: unable to find field \"{path}\" in replacement target {r.CurId}");
                        }

                        foreach (var at in found)
                        {
                            FieldPath.Set(at, Combine(FieldPath.Get(at), value, options));
                        }
                    }
                }
            }
        }
    }

    private static bool SelectMatches(Selector selector, JsonObject select, KResource r) => selector.Matches(r);

    private static JsonNode? SourceValue(List<KResource> resources, JsonObject replacement, string file)
    {
        if (replacement["source"] is not JsonObject source)
        {
            throw new RenderException(file, null, "replacements: a replacement needs a source");
        }

        var gvk = new Gvk((string?)source["group"] ?? string.Empty, (string?)source["version"] ?? string.Empty, (string?)source["kind"] ?? string.Empty);
        var name = (string?)source["name"];
        var ns = (string?)source["namespace"];
        var matches = resources.Where(r => r.Gvk.IsSelectedBy(gvk)
            && (name is null || r.Name == name || r.OrgId.Name == name)
            && (ns is null || r.Namespace == ns || r.OrgId.Namespace == ns)).ToList();
        if (matches.Count != 1)
        {
            throw new RenderException(file, null, matches.Count == 0
                ? $"replacements: nothing selected by source {gvk.Kind} {name}"
                : $"replacements: multiple matches for source {gvk.Kind} {name}");
        }

        var fieldPath = (string?)source["fieldPath"] ?? "metadata.name";
        var found = FieldPath.Resolve(matches[0].Obj, fieldPath, create: false);
        if (found.Count == 0)
        {
            throw new RenderException(file, null, $"replacements: source field \"{fieldPath}\" not found in {matches[0].CurId}");
        }

        var value = FieldPath.Get(found[0])?.DeepClone();
        if (source["options"] is JsonObject options && (string?)options["delimiter"] is { Length: > 0 } delimiter)
        {
            var parts = Transformers.ScalarText(value).Split(delimiter);
            var index = options["index"] is JsonValue iv && iv.TryGetValue<long>(out var l) ? (int)l : 0;
            if (index < 0 || index >= parts.Length)
            {
                throw new RenderException(file, null, $"replacements: options.index {index} is out of bounds for value {Transformers.ScalarText(value)}");
            }

            value = parts[index];
        }

        return value;
    }

    private static JsonNode? Combine(JsonNode? existing, JsonNode? value, JsonObject? options)
    {
        if (options is null || (string?)options["delimiter"] is not { Length: > 0 } delimiter)
        {
            return value?.DeepClone();
        }

        var parts = Transformers.ScalarText(existing).Split(delimiter).ToList();
        var index = options["index"] is JsonValue iv && iv.TryGetValue<long>(out var l) ? (int)l : 0;
        var text = Transformers.ScalarText(value);
        if (index < 0)
        {
            parts.Insert(0, text);
        }
        else if (index >= parts.Count)
        {
            parts.Add(text);
        }
        else
        {
            parts[index] = text;
        }

        return string.Join(delimiter, parts);
    }
}
