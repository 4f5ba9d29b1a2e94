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

    private static readonly TransformerConfig DefaultPrototype = Sorted(DefaultTransformerConfig.Create());

    /// <summary>kustomize's builtin configuration (a fresh copy).</summary>
    public static TransformerConfig Default()
    {
        var copy = new TransformerConfig();
        copy.Merge(DefaultPrototype, mergeInto: false);
        return copy;
    }

    /// <summary>Adds another configuration as kustomize's TransformerConfig.Merge does: a spec already covered is skipped, then every list is sorted.</summary>
    public void Merge(TransformerConfig other, string file)
    {
        try
        {
            Merge(other, mergeInto: true);
        }
        catch (InvalidOperationException ex)
        {
            throw new RenderException(file, null, ex.Message, ex);
        }
    }

    private void Merge(TransformerConfig other, bool mergeInto)
    {
        var lists = new[]
        {
            (NamePrefix, other.NamePrefix), (NameSuffix, other.NameSuffix), (Namespace, other.Namespace),
            (CommonLabels, other.CommonLabels), (TemplateLabels, other.TemplateLabels), (Labels, other.Labels),
            (CommonAnnotations, other.CommonAnnotations), (VarReference, other.VarReference), (Images, other.Images),
            (Replicas, other.Replicas),
        };
        foreach (var (into, from) in lists)
        {
            if (mergeInto)
            {
                Add(into, from);
                SortSpecs(into);
            }
            else
            {
                into.AddRange(from);
            }
        }

        foreach (var (target, referrers) in other.NameReference)
        {
            if (mergeInto)
            {
                AddNameReference(target, referrers);
            }
            else
            {
                NameReference.Add((target, [.. referrers]));
            }
        }

        if (mergeInto)
        {
            SortNameReferences();
        }
    }

    public void AddNameReference(Gvk target, IEnumerable<FieldSpec> referrers)
    {
        var index = NameReference.FindIndex(n => n.Target == target);
        if (index < 0)
        {
            NameReference.Add((target, [.. referrers]));
            return;
        }

        Add(NameReference[index].Referrers, referrers);
    }

    /// <summary>kustomize's FsSlice.MergeAll: an incoming spec is dropped when an existing one selects its GVK with the same path.</summary>
    private static void Add(List<FieldSpec> into, IEnumerable<FieldSpec> specs)
    {
        foreach (var spec in specs)
        {
            var existing = into.FirstOrDefault(s => s.Path == spec.Path && s.Selector.IsSelectedBy(spec.Selector));
            if (existing is null)
            {
                into.Add(spec);
            }
            else if (existing.Create != spec.Create)
            {
                throw new InvalidOperationException($"conflicting fieldspecs for path '{spec.Path}' ({spec.Selector}): create is {existing.Create} and {spec.Create}");
            }
        }
    }

    private static TransformerConfig Sorted(TransformerConfig config)
    {
        foreach (var list in new[]
                 {
                     config.NamePrefix, config.NameSuffix, config.Namespace, config.CommonLabels, config.TemplateLabels, config.Labels,
                     config.CommonAnnotations, config.VarReference, config.Images, config.Replicas,
                 })
        {
            SortSpecs(list);
        }

        config.SortNameReferences();
        return config;
    }

    private static void SortSpecs(List<FieldSpec> specs)
    {
        var sorted = specs.Order(Comparer<FieldSpec>.Create((a, b) => Gvk.Compare(a.Selector, b.Selector))).ToList();
        specs.Clear();
        specs.AddRange(sorted);
    }

    private void SortNameReferences()
    {
        var sorted = NameReference.Order(Comparer<(Gvk Target, List<FieldSpec> Referrers)>.Create((a, b) => Gvk.Compare(a.Target, b.Target))).ToList();
        NameReference.Clear();
        NameReference.AddRange(sorted);
    }

    /// <summary>Reads a `configurations:` file (keys such as namePrefix, commonLabels, nameReference, varReference).</summary>
    public static TransformerConfig Parse(JsonObject root, string file) => Sorted(ParseUnsorted(root, file));

    private static TransformerConfig ParseUnsorted(JsonObject root, string file)
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
