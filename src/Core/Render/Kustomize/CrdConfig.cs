using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Transformer configuration from a `crds:` OpenAPI definitions file (kustomize's x-kubernetes-* property extensions).</summary>
internal static class CrdConfig
{
    public static void Merge(TransformerConfig config, JsonObject document)
    {
        foreach (var (typeName, definition) in document)
        {
            if ((definition as JsonObject)?["Schema"]?["properties"] is not JsonObject properties
                || !properties.ContainsKey("kind") || !properties.ContainsKey("apiVersion") || !properties.ContainsKey("metadata"))
            {
                continue;
            }

            // kustomize knows only the kind of a CRD type: the last dot-separated part of its name.
            var kind = new Gvk(string.Empty, string.Empty, typeName[(typeName.LastIndexOf('.') + 1)..]);
            Load(config, document, kind, typeName, string.Empty, 0);
        }
    }

    private static void Load(TransformerConfig config, JsonObject document, Gvk kind, string typeName, string path, int depth)
    {
        // kustomize follows $ref without a limit; a bound keeps a self-referencing type from looping.
        if (depth > 32 || document[typeName]?["Schema"]?["properties"] is not JsonObject properties)
        {
            return;
        }

        foreach (var (field, value) in properties)
        {
            if (value is not JsonObject property)
            {
                continue;
            }

            var fieldPath = path.Length == 0 ? field : path + "/" + field;
            if (property["x-kubernetes-annotation"] is JsonValue)
            {
                Add(config.CommonAnnotations, new FieldSpec(kind, fieldPath, false));
            }

            if (property["x-kubernetes-label-selector"] is JsonValue)
            {
                Add(config.CommonLabels, new FieldSpec(kind, fieldPath, false));
            }

            if (property["x-kubernetes-identity"] is JsonValue)
            {
                Add(config.NamePrefix, new FieldSpec(kind, fieldPath, false));
            }

            if ((string?)property["x-kubernetes-object-ref-api-version"] is { } version && (string?)property["x-kubernetes-object-ref-kind"] is { } refKind)
            {
                var nameKey = (string?)property["x-kubernetes-object-ref-name-key"] ?? "name";
                config.AddNameReference(new Gvk(string.Empty, version, refKind), [new FieldSpec(kind, fieldPath + "/" + nameKey, false)]);
            }

            if ((string?)property["$ref"] is { Length: > 0 } reference)
            {
                Load(config, document, kind, reference, fieldPath, depth + 1);
            }
        }
    }

    private static void Add(List<FieldSpec> specs, FieldSpec spec)
    {
        if (!specs.Any(s => s.Selector == spec.Selector && s.Path == spec.Path))
        {
            specs.Add(spec);
        }
    }
}
