using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Derives the compact strategic-merge table (PatchSchema.json) from a Kubernetes OpenAPI v2 document.</summary>
internal static class PatchSchemaGenerator
{
    /// <summary>Generates the table; <paramref name="known"/> names types of a base schema this one may refer to or replace.</summary>
    public static string Generate(JsonObject openApi, Func<string, bool>? known = null)
    {
        known ??= _ => false;
        var definitions = openApi["definitions"] as JsonObject ?? [];
        var fields = new Dictionary<string, SortedDictionary<string, (string Strategy, string Keys, string? Type)>>(StringComparer.Ordinal);
        var pending = new Queue<(string Name, JsonNode? Def)>(definitions.Select(d => (d.Key, d.Value)));
        while (pending.TryDequeue(out var item))
        {
            var (name, def) = item;
            var map = new SortedDictionary<string, (string, string, string?)>(StringComparer.Ordinal);
            foreach (var (field, prop) in def?["properties"] as JsonObject ?? [])
            {
                if (prop is not JsonObject p)
                {
                    continue;
                }

                // Inline object schemas (common in custom schemas) become types named after their path.
                var inline = p["properties"] is JsonObject ? p : (p["items"] as JsonObject)?["properties"] is JsonObject ? (JsonObject)p["items"]! : null;
                if (inline is not null && Ref(p) is null && Ref(p["items"] as JsonObject) is null)
                {
                    pending.Enqueue((name + "/" + field, inline));
                }

                var strategy = (string?)p["x-kubernetes-patch-strategy"] ?? string.Empty;
                var keys = p["x-kubernetes-list-map-keys"] is JsonArray mapKeys && strategy.Length > 0
                    ? string.Join(',', mapKeys.Select(k => (string?)k))
                    : (string?)p["x-kubernetes-patch-merge-key"] ?? string.Empty;
                var type = Ref(p) ?? Ref(p["items"] as JsonObject) ?? (inline is not null ? name + "/" + field : null);
                map[field] = (strategy, strategy.Length > 0 ? keys : string.Empty, type);
            }

            fields[name] = map;
        }

        // Keep only types from which some patch strategy is reachable.
        // A definition that replaces a base type is kept even without strategies, so it overrides the base one.
        var relevant = new HashSet<string>(fields.Keys.Where(known), StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var (name, map) in fields)
            {
                if (!relevant.Contains(name) && map.Values.Any(f => f.Strategy.Length > 0 || (f.Type is not null && (relevant.Contains(f.Type) || known(f.Type)))))
                {
                    relevant.Add(name);
                    changed = true;
                }
            }
        }
        while (changed);

        var roots = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, def) in definitions)
        {
            if (!relevant.Contains(name) || def?["x-kubernetes-group-version-kind"] is not JsonArray gvks)
            {
                continue;
            }

            foreach (var gvk in gvks.OfType<JsonObject>())
            {
                roots[$"{gvk["group"]}/{gvk["version"]}/{gvk["kind"]}"] = name;
            }
        }

        var builder = new StringBuilder();
        builder.Append("{\n  \"roots\": {\n");
        builder.Append(string.Join(",\n", roots.Select(r => $"    {Quote(r.Key)}: {Quote(r.Value)}")));
        builder.Append("\n  },\n  \"types\": {\n");
        var typeLines = new List<string>();
        foreach (var name in relevant.Order(StringComparer.Ordinal))
        {
            var entries = fields[name]
                .Where(f => f.Value.Strategy.Length > 0 || (f.Value.Type is not null && (relevant.Contains(f.Value.Type) || known(f.Value.Type))))
                .Select(f => $"{Quote(f.Key)}: {Quote($"{f.Value.Strategy}|{f.Value.Keys}|{(f.Value.Type is not null && (relevant.Contains(f.Value.Type) || known(f.Value.Type)) ? f.Value.Type : string.Empty)}")}");
            typeLines.Add($"    {Quote(name)}: {{ {string.Join(", ", entries)} }}");
        }

        builder.Append(string.Join(",\n", typeLines));
        builder.Append("\n  }\n}\n");
        return builder.ToString();
    }

    private static string? Ref(JsonObject? node)
    {
        var reference = (string?)node?["$ref"];
        return reference is null ? null : reference[(reference.LastIndexOf('/') + 1)..];
    }

    private static string Quote(string text) => JsonValue.Create(text).ToJsonString();
}
