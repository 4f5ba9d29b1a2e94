using System.Text.Json.Nodes;

namespace Ferry.Core.Apps.ApplicationSets;

/// <summary>An Argo CD <c>ApplicationSet</c>: generators that produce parameter sets, and the Application template they fill.</summary>
public sealed record ApplicationSet
{
    /// <summary>metadata.name.</summary>
    public required string Name { get; init; }

    /// <summary>spec.generators, as written (validated by the parser).</summary>
    public required IReadOnlyList<JsonObject> Generators { get; init; }

    /// <summary>spec.template (metadata and spec of each Application).</summary>
    public required JsonObject Template { get; init; }

    /// <summary>spec.goTemplate: Go template syntax instead of <c>{{param}}</c> substitution.</summary>
    public bool GoTemplate { get; init; }

    /// <summary>spec.goTemplateOptions contains <c>missingkey=error</c>.</summary>
    public bool MissingKeyError { get; init; }

    /// <summary>spec.templatePatch: a Go template rendering YAML merged over each generated Application.</summary>
    public string? TemplatePatch { get; init; }

    /// <summary>spec.syncPolicy.preserveResourcesOnDeletion (Ferry never deletes a generated app's resources either way).</summary>
    public bool PreserveResourcesOnDeletion { get; init; }

    /// <summary>The file the set was read from.</summary>
    public string File { get; init; } = string.Empty;

    /// <summary>The line its document starts on.</summary>
    public int Line { get; init; }

    /// <summary>Lines of the document's fields by dotted path, for messages about generated apps.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();

    /// <summary>The repository URLs of every git generator, nested ones included (a push to one of them regenerates the set).</summary>
    public IEnumerable<string> GitRepositoryUrls() => Generators.SelectMany(Urls).Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> Urls(JsonObject generator)
    {
        if (generator["git"] is JsonObject git && ApplicationSetParser.Text(git, "repoURL") is { } url)
        {
            yield return url;
        }

        foreach (var nested in new[] { generator["matrix"], generator["merge"] }.OfType<JsonObject>())
        {
            foreach (var child in (nested["generators"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(Urls))
            {
                yield return child;
            }
        }
    }
}
