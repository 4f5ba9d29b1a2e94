using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Name-reference configuration from a `crds:` OpenAPI file (properties marked x-kubernetes-object-ref-kind).</summary>
internal static class CrdConfig
{
    public static void Merge(TransformerConfig config, JsonObject document)
    {
        foreach (var (typeName, definition) in document)
        {
            if (definition is not JsonObject def)
            {
                continue;
            }

            var kind = typeName[(typeName.LastIndexOf('.') + 1)..];
            var schema = def["Schema"] as JsonObject ?? def;
            Walk(config, document, kind, schema, string.Empty, 0);
        }
    }

    private static void Walk(TransformerConfig config, JsonObject document, string kind, JsonObject schema, string path, int depth)
    {
        if (depth > 10 || schema["properties"] is not JsonObject properties)
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
            var extensions = property["Extensions"] as JsonObject ?? property;
            if ((string?)extensions["x-kubernetes-object-ref-kind"] is { } refKind)
            {
                var refVersion = (string?)extensions["x-kubernetes-object-ref-api-version"] ?? string.Empty;
                var name = (string?)extensions["x-kubernetes-object-ref-name-key"] ?? "name";
                var target = Gvk.FromApiVersion(refVersion, refKind);
                config.AddNameReference(target, [new FieldSpec(new Gvk(string.Empty, string.Empty, kind), fieldPath + "/" + name, false)]);
            }

            var reference = (string?)property["$ref"] ?? (string?)property["Ref"];
            if (reference is not null)
            {
                var refName = reference[(reference.LastIndexOf('/') + 1)..];
                if (document[refName] is JsonObject refDef)
                {
                    Walk(config, document, kind, refDef["Schema"] as JsonObject ?? refDef, fieldPath, depth + 1);
                }
            }
            else
            {
                Walk(config, document, kind, property, fieldPath, depth + 1);
            }
        }
    }
}
