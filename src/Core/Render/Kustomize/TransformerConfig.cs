using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>The field specs each builtin transformer uses (kustomize's transformer configuration), mergeable across kustomizations.</summary>
internal sealed class TransformerConfig
{
    public List<FieldSpec> NamePrefix { get; } = [];

    public List<FieldSpec> NameSuffix { get; } = [];

    public List<FieldSpec> Namespace { get; } = [];

    public List<FieldSpec> CommonLabels { get; } = [];

    public List<FieldSpec> TemplateLabels { get; } = [];

    public List<FieldSpec> Labels { get; } = [];

    public List<FieldSpec> CommonAnnotations { get; } = [];

    public List<FieldSpec> VarReference { get; } = [];

    public List<FieldSpec> Images { get; } = [];

    public List<FieldSpec> Replicas { get; } = [];

    /// <summary>Per referenced GVK, the fields of other objects that hold its name.</summary>
    public List<(Gvk Target, List<FieldSpec> Referrers)> NameReference { get; } = [];

    public static TransformerConfig Empty() => new();

    public static TransformerConfig Default() => DefaultTransformerConfig.Create();

    /// <summary>Adds everything of another configuration that is not here yet.</summary>
    public void Merge(TransformerConfig other)
    {
        Add(NamePrefix, other.NamePrefix);
        Add(NameSuffix, other.NameSuffix);
        Add(Namespace, other.Namespace);
        Add(CommonLabels, other.CommonLabels);
        Add(TemplateLabels, other.TemplateLabels);
        Add(Labels, other.Labels);
        Add(CommonAnnotations, other.CommonAnnotations);
        Add(VarReference, other.VarReference);
        Add(Images, other.Images);
        Add(Replicas, other.Replicas);
        foreach (var (target, referrers) in other.NameReference)
        {
            AddNameReference(target, referrers);
        }
    }

    public void AddNameReference(Gvk target, IEnumerable<FieldSpec> referrers)
    {
        var index = NameReference.FindIndex(n => n.Target == target);
        if (index < 0)
        {
            NameReference.Add((target, []));
            index = NameReference.Count - 1;
        }

        Add(NameReference[index].Referrers, referrers);
    }

    private static void Add(List<FieldSpec> into, IEnumerable<FieldSpec> specs)
    {
        foreach (var spec in specs)
        {
            if (!into.Any(s => s.Selector == spec.Selector && s.Path == spec.Path))
            {
                into.Add(spec);
            }
        }
    }

    /// <summary>Reads a `configurations:` file (keys such as namePrefix, commonLabels, nameReference, varReference).</summary>
    public static TransformerConfig Parse(JsonObject root, string file)
    {
        var config = new TransformerConfig();
        foreach (var (key, value) in root)
        {
            if (value is not JsonArray array)
            {
                continue;
            }

            List<FieldSpec>? list = key switch
            {
                "namePrefix" => config.NamePrefix,
                "nameSuffix" => config.NameSuffix,
                "namespace" => config.Namespace,
                "commonLabels" => config.CommonLabels,
                "templateLabels" => config.TemplateLabels,
                "labels" => config.Labels,
                "commonAnnotations" => config.CommonAnnotations,
                "varReference" => config.VarReference,
                "images" => config.Images,
                "replicas" => config.Replicas,
                _ => null,
            };
            if (list is not null)
            {
                Add(list, array.OfType<JsonObject>().Select(FieldSpec.Parse));
                continue;
            }

            if (key == "nameReference")
            {
                foreach (var entry in array.OfType<JsonObject>())
                {
                    var target = new Gvk((string?)entry["group"] ?? string.Empty, (string?)entry["version"] ?? string.Empty, (string?)entry["kind"] ?? string.Empty);
                    var specs = (entry["fieldSpecs"] as JsonArray ?? []).OfType<JsonObject>().Select(FieldSpec.Parse);
                    config.AddNameReference(target, specs);
                }
            }
            else if (key is not ("apiVersion" or "kind"))
            {
                throw new RenderException(file, null, $"unknown transformer configuration field '{key}'");
            }
        }

        return config;
    }
}
