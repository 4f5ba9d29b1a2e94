using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>The fields kustomize v5.5's Kustomization type (and the types inside it) accepts; its decoder rejects any other field.</summary>
internal static class KustomizationSchema
{
    // Type → field → type of the field. "-" is a value whose inside is not checked (scalars, string maps, free-form
    // values); "X[]" is a list of X.
    private static readonly Dictionary<string, Dictionary<string, string>> Types = new(StringComparer.Ordinal)
    {
        ["Kustomization"] = Fields(
            "apiVersion - kind - metadata ObjectMeta openapi - namePrefix - nameSuffix - namespace - commonLabels - labels Label[] "
            + "commonAnnotations - patchesStrategicMerge - patchesJson6902 Patch[] patches Patch[] images Image[] imageTags Image[] "
            + "replacements ReplacementField[] replicas Replica[] vars Var[] sortOptions SortOptions resources - components - crds - "
            + "bases - configMapGenerator GeneratorArgs[] secretGenerator SecretArgs[] helmGlobals HelmGlobals helmCharts HelmChart[] "
            + "helmChartInflationGenerator HelmChartArgs[] generatorOptions GeneratorOptions configurations - generators - "
            + "transformers - validators - buildMetadata -"),
        ["ObjectMeta"] = Fields("name - namespace - labels - annotations -"),
        ["Label"] = Fields("pairs - includeSelectors - includeTemplates - fields FieldSpec[]"),
        ["FieldSpec"] = Fields("group - version - kind - path - create -"),
        ["Patch"] = Fields("path - patch - target Selector options -"),
        ["Selector"] = Fields("group - version - kind - name - namespace - annotationSelector - labelSelector -"),
        ["Image"] = Fields("name - newName - tagSuffix - newTag - digest -"),
        ["ReplacementField"] = Fields("path - source SourceSelector targets TargetSelector[]"),
        ["SourceSelector"] = Fields("group - version - kind - name - namespace - fieldPath - options FieldOptions"),
        ["TargetSelector"] = Fields("select Selector reject Selector[] fieldPaths - options FieldOptions"),
        ["FieldOptions"] = Fields("delimiter - index - encoding - create -"),
        ["Replica"] = Fields("name - count -"),
        ["Var"] = Fields("name - objref Target fieldref FieldSelector"),
        ["Target"] = Fields("apiVersion - group - version - kind - name - namespace -"),
        ["FieldSelector"] = Fields("fieldPath -"),
        ["SortOptions"] = Fields("order - legacySortOptions LegacySortOptions"),
        ["LegacySortOptions"] = Fields("orderFirst - orderLast -"),
        ["GeneratorArgs"] = Fields("namespace - name - behavior - literals - files - envs - env - options GeneratorOptions"),
        ["SecretArgs"] = Fields("namespace - name - behavior - literals - files - envs - env - options GeneratorOptions type -"),
        ["GeneratorOptions"] = Fields("labels - annotations - disableNameSuffixHash - immutable -"),
        ["HelmGlobals"] = Fields("chartHome - configHome -"),
        ["HelmChart"] = Fields(
            "name - version - repo - releaseName - namespace - additionalValuesFiles - valuesFile - valuesInline - valuesMerge - "
            + "includeCRDs - skipHooks - apiVersions - kubeVersion - nameTemplate - skipTests - debug -"),
        ["HelmChartArgs"] = Fields(
            "chartName - chartVersion - chartRepoUrl - chartHome - chartRepoName - helmBin - helmHome - values - valuesLocal - "
            + "valuesMerge - releaseName - releaseNamespace - extraArgs -"),
    };

    /// <summary>The first field the type does not know, walking keys in sorted order as Go's decoder meets them in the JSON
    /// kustomize converts the file to; its dotted location (<c>images[0].newTags</c>) and name, or null.</summary>
    public static (string Path, string Field)? FirstUnknown(JsonObject kustomization) => Check(kustomization, "Kustomization", string.Empty);

    private static (string Path, string Field)? Check(JsonNode? node, string type, string path)
    {
        if (type == "-")
        {
            return null;
        }

        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            if (node is not JsonArray list)
            {
                return null;
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (Check(list[i], type[..^2], $"{path}[{i}]") is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        if (node is not JsonObject obj)
        {
            return null;
        }

        var fields = Types[type];
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var child = path.Length == 0 ? key : $"{path}.{key}";
            // Go's JSON decoder matches a field name exactly or else ignoring case.
            var fieldType = fields.TryGetValue(key, out var exact) ? exact
                : fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
            if (fieldType is null)
            {
                return (child, key);
            }

            if (Check(value, fieldType, child) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static Dictionary<string, string> Fields(string pairs)
    {
        var parts = pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Length; i += 2)
        {
            result[parts[i]] = parts[i + 1];
        }

        return result;
    }
}
