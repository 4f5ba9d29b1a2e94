using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Apps.ApplicationSets;

/// <summary>Validates an ApplicationSet document: known fields, supported generators (list, clusters, git, matrix, merge) and their fields.</summary>
internal static class ApplicationSetParser
{
    private static readonly string[] Unsupported = ["scmProvider", "pullRequest", "clusterDecisionResource", "plugin"];

    public static ApplicationSet? Parse(JsonObject doc, DocumentReader r, IReadOnlyDictionary<string, int> lines)
    {
        Strict(r, doc, string.Empty, "apiVersion", "kind", "metadata", "spec", "status");
        var metadata = r.Object(doc, string.Empty, "metadata", required: true) ?? [];
        var name = r.String(metadata, "metadata", "name", required: true);
        var spec = r.Object(doc, string.Empty, "spec", required: true) ?? [];
        Strict(r, spec, "spec", "generators", "template", "goTemplate", "goTemplateOptions", "templatePatch", "syncPolicy", "strategy",
            "preservedFields", "ignoreApplicationDifferences", "applyNestedSelectors");
        foreach (var key in new[] { "strategy", "preservedFields", "ignoreApplicationDifferences", "applyNestedSelectors" })
        {
            r.Unsupported(spec, "spec", key, "not supported by Ferry; ignored");
        }

        var goTemplate = r.Bool(spec, "spec", "goTemplate");
        var options = r.Strings(spec, "spec", "goTemplateOptions");
        foreach (var option in options.Where(o => o is not ("missingkey=error" or "missingkey=default" or "missingkey=zero" or "missingkey=invalid")))
        {
            r.Error("spec.goTemplateOptions", $"unknown option '{option}' (Ferry supports missingkey=error and missingkey=default)");
        }

        var patch = r.String(spec, "spec", "templatePatch");
        if (patch is not null && !goTemplate)
        {
            r.Error("spec.templatePatch", "needs goTemplate: true (as in Argo CD)");
        }

        var preserve = false;
        if (r.Object(spec, "spec", "syncPolicy") is { } syncPolicy)
        {
            Strict(r, syncPolicy, "spec.syncPolicy", "preserveResourcesOnDeletion", "applicationsSync");
            r.Unsupported(syncPolicy, "spec.syncPolicy", "applicationsSync", "Ferry never deletes or overwrites generated apps' resources; ignored");
            preserve = r.Bool(syncPolicy, "spec.syncPolicy", "preserveResourcesOnDeletion");
        }

        var template = r.Object(spec, "spec", "template", required: true) ?? [];
        Strict(r, template, "spec.template", "metadata", "spec");
        var generators = new List<JsonObject>();
        if (r.Array(spec, "spec", "generators") is { Count: > 0 } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (Generator(r, list[i], $"spec.generators[{i}]", depth: 0) is { } generator)
                {
                    generators.Add(generator);
                }
            }
        }
        else
        {
            r.Error("spec.generators", "is required and must list at least one generator");
        }

        if (r.Errors.Count > 0 || name is null)
        {
            return null;
        }

        return new ApplicationSet
        {
            Name = name,
            Generators = generators,
            Template = template,
            GoTemplate = goTemplate,
            MissingKeyError = options.Contains("missingkey=error", StringComparer.Ordinal),
            TemplatePatch = patch,
            PreserveResourcesOnDeletion = preserve,
            File = r.File,
            Line = r.Line,
            Lines = lines,
        };
    }

    private static JsonObject? Generator(DocumentReader r, JsonNode? node, string path, int depth)
    {
        if (node is not JsonObject generator)
        {
            r.Error(path, $"must be a mapping, got {DocumentReader.Describe(node)}");
            return null;
        }

        foreach (var key in generator.Select(p => p.Key).Where(k => Unsupported.Contains(k, StringComparer.Ordinal)))
        {
            r.Error(DocumentReader.Join(path, key), $"the {key} generator is not supported by Ferry (supported: list, clusters, git, matrix, merge)");
        }

        Strict(r, generator, path, [.. Unsupported, "list", "clusters", "git", "matrix", "merge", "selector"]);
        if (generator["selector"] is not null)
        {
            r.Error(DocumentReader.Join(path, "selector"), "generator selectors are not supported by Ferry");
        }

        var kinds = generator.Select(p => p.Key).Where(k => k is "list" or "clusters" or "git" or "matrix" or "merge").ToList();
        if (kinds.Count != 1)
        {
            if (!generator.Any(p => Unsupported.Contains(p.Key, StringComparer.Ordinal)))
            {
                r.Error(path, kinds.Count == 0 ? "names no generator (list, clusters, git, matrix or merge)" : $"names more than one generator ({string.Join(", ", kinds)})");
            }

            return null;
        }

        var kind = kinds[0];
        var body = r.Object(generator, path, kind, required: true) ?? [];
        var at = DocumentReader.Join(path, kind);
        switch (kind)
        {
            case "list":
                Strict(r, body, at, "elements", "elementsYaml", "template");
                r.Unsupported(body, at, "elementsYaml", "not supported by Ferry; use elements");
                if (r.Array(body, at, "elements") is { } elements)
                {
                    for (var i = 0; i < elements.Count; i++)
                    {
                        if (elements[i] is not JsonObject)
                        {
                            r.Error($"{at}.elements[{i}]", $"must be a mapping, got {DocumentReader.Describe(elements[i])}");
                        }
                    }
                }
                else
                {
                    r.Error($"{at}.elements", "is required");
                }

                break;
            case "clusters":
                Strict(r, body, at, "selector", "values", "template");
                if (body["selector"] is JsonObject { Count: > 0 })
                {
                    r.Error($"{at}.selector", "label selectors are not supported: Ferry's clusters file has no labels");
                }

                r.StringMap(body, at, "values");
                break;
            case "git":
                Strict(r, body, at, "repoURL", "revision", "directories", "files", "values", "pathParamPrefix", "requeueAfterSeconds", "template");
                r.Unsupported(body, at, "requeueAfterSeconds", "Ferry regenerates on every catalog read and on pushes; ignored");
                r.String(body, at, "repoURL", required: true);
                r.String(body, at, "revision");
                r.String(body, at, "pathParamPrefix");
                r.StringMap(body, at, "values");
                var directories = r.Array(body, at, "directories");
                var files = r.Array(body, at, "files");
                if ((directories is null) == (files is null))
                {
                    r.Error(at, "needs exactly one of directories or files");
                }

                PathItems(r, directories, $"{at}.directories", allowExclude: true);
                PathItems(r, files, $"{at}.files", allowExclude: false);
                break;
            case "matrix":
            case "merge":
                Strict(r, body, at, "generators", "mergeKeys", "template");
                if (kind == "merge" && r.Strings(body, at, "mergeKeys").Count == 0)
                {
                    r.Error($"{at}.mergeKeys", "is required");
                }
                else if (kind == "matrix" && body["mergeKeys"] is not null)
                {
                    r.Error($"{at}.mergeKeys", "belongs to merge, not matrix");
                }

                var children = r.Array(body, at, "generators");
                if (kind == "matrix" && children?.Count != 2)
                {
                    r.Error($"{at}.generators", "a matrix combines exactly two generators");
                }
                else if (kind == "merge" && children is not { Count: >= 2 })
                {
                    r.Error($"{at}.generators", "a merge needs at least two generators");
                }

                if (depth >= 2)
                {
                    r.Error(at, "generators nest at most two levels deep (as in Argo CD)");
                }

                for (var i = 0; i < (children?.Count ?? 0); i++)
                {
                    Generator(r, children![i], $"{at}.generators[{i}]", depth + 1);
                }

                break;
        }

        if (body["template"] is not null)
        {
            r.Error($"{at}.template", "per-generator templates are not supported by Ferry; use spec.template");
        }

        return generator;
    }

    private static void PathItems(DocumentReader r, JsonArray? items, string path, bool allowExclude)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            if (items![i] is not JsonObject item)
            {
                r.Error(at, $"must be a mapping, got {DocumentReader.Describe(items[i])}");
                continue;
            }

            Strict(r, item, at, allowExclude ? ["path", "exclude"] : ["path"]);
            r.String(item, at, "path", required: true);
            if (allowExclude)
            {
                r.Bool(item, at, "exclude");
            }
        }
    }

    /// <summary>Unknown fields of an ApplicationSet are errors: a misspelt generator field would silently generate the wrong apps.</summary>
    private static void Strict(DocumentReader r, JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                r.Error(DocumentReader.Join(path, key), "unknown field");
            }
        }
    }

    /// <summary>Reads a string value of a validated generator field, or null.</summary>
    public static string? Text(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
