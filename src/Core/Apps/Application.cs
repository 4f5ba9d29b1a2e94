using System.Text.Json.Nodes;
using Ferry.Core.Render;

namespace Ferry.Core.Apps;

/// <summary>An Argo CD <c>argoproj.io/v1alpha1</c> Application: what to render from where, and where to sync it.</summary>
public sealed record Application
{
    /// <summary>The annotation listing (semicolon-separated) the paths whose changes concern this app.</summary>
    public const string ManifestGeneratePathsAnnotation = "argocd.argoproj.io/manifest-generate-paths";

    /// <summary>metadata.name: the application's unique name.</summary>
    public required string Name { get; init; }

    /// <summary>metadata.namespace (Argo's control-plane namespace); informational for Ferry.</summary>
    public string? Namespace { get; init; }

    /// <summary>metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>metadata.annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>spec.project; "default" when unset.</summary>
    public string Project { get; init; } = AppProject.DefaultName;

    /// <summary>spec.source; for a multi-source app, its first source that renders manifests.</summary>
    public required ApplicationSource Source { get; init; }

    /// <summary>spec.sources as written; empty for a single-source app.</summary>
    public IReadOnlyList<ApplicationSource> Sources { get; init; } = [];

    /// <summary>Every source: spec.sources, or spec.source alone.</summary>
    public IReadOnlyList<ApplicationSource> AllSources => Sources.Count > 0 ? Sources : [Source];

    /// <summary>spec.destination.</summary>
    public required ApplicationDestination Destination { get; init; }

    /// <summary>spec.syncPolicy; null for manual sync only.</summary>
    public SyncPolicy? SyncPolicy { get; init; }

    /// <summary>spec.ignoreDifferences.</summary>
    public IReadOnlyList<ResourceIgnoreDifferences> IgnoreDifferences { get; init; } = [];

    /// <summary>spec.revisionHistoryLimit; 10 when unset.</summary>
    public int RevisionHistoryLimit { get; init; } = 10;

    /// <summary>The file the application was read from, named with its folder as the catalog was given (<c>apps/guestbook.yaml</c>).</summary>
    public string File { get; init; } = string.Empty;

    /// <summary>The line its document starts on.</summary>
    public int Line { get; init; }

    /// <summary>Unknown or unsupported fields in the application's document (and its project's), in line order.</summary>
    public IReadOnlyList<AppWarning> Warnings { get; init; } = [];

    /// <summary>The document as written, unknown fields included.</summary>
    public JsonObject? Raw { get; init; }

    /// <summary>The ApplicationSet that generated this app, or null for an app written as such.</summary>
    public string? GeneratedBy { get; init; }

    /// <summary>Paths of the manifest-generate-paths annotation; relative ones are relative to the source path.</summary>
    public IReadOnlyList<string> ManifestGeneratePaths =>
        Annotations.TryGetValue(ManifestGeneratePathsAnnotation, out var value)
            ? value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];

    /// <summary>Builds the render request for a checkout of the source's revision.</summary>
    public RenderRequest ToRenderRequest(string rootDirectory) => ToRenderRequest(Source, rootDirectory, new Dictionary<string, string>());

    /// <summary>Builds the render request for one source, given its checkout and the checkouts of the app's ref sources (ref name → root).</summary>
    public RenderRequest ToRenderRequest(ApplicationSource source, string rootDirectory, IReadOnlyDictionary<string, string> refRoots) => new()
    {
        RootDirectory = rootDirectory,
        Path = source.Path,
        AppName = Name,
        Namespace = Destination.Namespace,
        Directory = source.Directory ?? new DirectoryOptions(),
        Kustomize = source.Kustomize,
        Helm = source.Helm,
        RefRoots = refRoots,
    };
}
