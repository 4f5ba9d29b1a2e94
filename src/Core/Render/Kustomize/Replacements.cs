using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

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

                var selectId = IdOf(select);
                var rejects = (target["reject"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var options = target["options"] as JsonObject;
                var create = options?["create"] is JsonValue c && c.TryGetValue<bool>(out var cv) && cv;
                foreach (var r in resources)
                {
                    if (!MatchesLabelsAndAnnotations(r, select)
                        || rejects.Any(x => ((string?)x["labelSelector"] is { Length: > 0 } || (string?)x["annotationSelector"] is { Length: > 0 }) && MatchesLabelsAndAnnotations(r, x)))
                    {
                        continue;
                    }

                    var ids = r.PrevIds.Prepend(r.CurId).ToList();
                    if (!ids.Any(id => IsSelectedBy(id, selectId)) || rejects.Select(IdOf).Any(reject => !IsEmpty(reject) && ids.Any(id => IsSelectedBy(id, reject))))
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

    private static ResId IdOf(JsonObject selector) => new(
        new Gvk((string?)selector["group"] ?? string.Empty, (string?)selector["version"] ?? string.Empty, (string?)selector["kind"] ?? string.Empty),
        (string?)selector["name"] ?? string.Empty,
        (string?)selector["namespace"] ?? string.Empty);

    private static bool IsEmpty(ResId id) => id.Name.Length == 0 && id.Namespace.Length == 0 && id.Gvk == Gvk.Empty;

    /// <summary>kustomize's ResId.IsSelectedBy: exact name, same effective namespace, GVK parts that are set.</summary>
    private static bool IsSelectedBy(ResId id, ResId selector) =>
        (selector.Name.Length == 0 || selector.Name == id.Name)
        && (selector.Namespace.Length == 0 || selector.IsNsEquals(id))
        && id.Gvk.IsSelectedBy(selector.Gvk);

    private static bool MatchesLabelsAndAnnotations(KResource r, JsonObject selector) =>
        Selector.MatchesLabels(r.Labels, (string?)selector["labelSelector"]) && Selector.MatchesLabels(r.Annotations, (string?)selector["annotationSelector"]);

    private static JsonNode? SourceValue(List<KResource> resources, JsonObject replacement, string file)
    {
        if (replacement["source"] is not JsonObject source)
        {
            throw new RenderException(file, null, "replacements: a replacement needs a source");
        }

        var sourceId = IdOf(source);
        var matches = resources.Where(r => r.PrevIds.Prepend(r.CurId).Any(id => IsSelectedBy(id, sourceId))).ToList();
        if (matches.Count != 1)
        {
            throw new RenderException(file, null, matches.Count == 0
                ? $"replacements: nothing selected by source {sourceId}"
                : $"replacements: multiple matches for source {sourceId}");
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
            return KeepScalarType(existing, value);
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

        return KeepScalarType(existing, string.Join(delimiter, parts));
    }

    /// <summary>kustomize copies only the text into a scalar target, which keeps its own type (a string stays a string).</summary>
    private static JsonNode? KeepScalarType(JsonNode? existing, JsonNode? value)
    {
        if (existing is not JsonValue target || value is not JsonValue source)
        {
            return value?.DeepClone();
        }

        var text = Transformers.ScalarText(source);
        return target.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => JsonValue.Create(text),
            System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                => YamlReader.Resolve(text) is JsonValue resolved && resolved.GetValueKind() == target.GetValueKind() ? resolved : source.DeepClone(),
            _ => source.DeepClone(),
        };
    }
}
