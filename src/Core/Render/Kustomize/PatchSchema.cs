using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Strategic-merge metadata per Kubernetes type: which lists merge, by which keys (derived from the OpenAPI document into an embedded table).</summary>
internal sealed class PatchSchema
{
    public const string ResourceName = "Ferry.Core.Render.Kustomize.PatchSchema.json";

    private readonly FrozenDictionary<string, string> roots;
    private readonly FrozenDictionary<string, FrozenDictionary<string, SchemaField>> types;

    private PatchSchema(FrozenDictionary<string, string> roots, FrozenDictionary<string, FrozenDictionary<string, SchemaField>> types)
    {
        this.roots = roots;
        this.types = types;
    }

    public static PatchSchema Default { get; } = Load();

    public string? RootType(Gvk gvk) => roots.GetValueOrDefault($"{gvk.Group}/{gvk.Version}/{gvk.Kind}");

    public bool HasType(string name) => types.ContainsKey(name);

    public SchemaField? Field(string? type, string field) =>
        type is not null && types.TryGetValue(type, out var fields) ? fields.GetValueOrDefault(field) : null;

    /// <summary>This schema with another's types and roots laid over it (a kustomization's custom `openapi`).</summary>
    public PatchSchema With(PatchSchema overlay)
    {
        var mergedRoots = roots.ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in overlay.roots)
        {
            mergedRoots[key] = value;
        }

        var mergedTypes = types.ToDictionary(StringComparer.Ordinal);
        foreach (var (key, value) in overlay.types)
        {
            mergedTypes[key] = value;
        }

        return new PatchSchema(mergedRoots.ToFrozenDictionary(StringComparer.Ordinal), mergedTypes.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public static PatchSchema Parse(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var rootMap = root["roots"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);
        var typeMap = new Dictionary<string, FrozenDictionary<string, SchemaField>>(StringComparer.Ordinal);
        foreach (var (name, fields) in root["types"]!.AsObject())
        {
            var map = new Dictionary<string, SchemaField>(StringComparer.Ordinal);
            foreach (var (field, spec) in fields!.AsObject())
            {
                // Each field is "<strategy>|<keys comma separated>|<item or value type>".
                var parts = ((string)spec!).Split('|');
                map[field] = new SchemaField(
                    parts[0].Length == 0 ? null : parts[0],
                    parts[1].Length == 0 ? [] : parts[1].Split(','),
                    parts[2].Length == 0 ? null : parts[2]);
            }

            typeMap[name] = map.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return new PatchSchema(rootMap.ToFrozenDictionary(StringComparer.Ordinal), typeMap.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static PatchSchema Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}

/// <summary>One field's patch metadata: the strategy (e.g. merge, retainKeys), merge keys, and the type of its value or items.</summary>
internal sealed record SchemaField(string? Strategy, string[] Keys, string? Type)
{
    public bool Merges => Strategy is not null && Strategy.Split(',').Contains("merge");
}
