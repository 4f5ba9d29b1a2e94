using Ferry.Core.Render;

namespace Ferry.Core.Apps;

/// <summary>spec.source: the Git repository, revision and path, and the tool options.</summary>
public sealed record ApplicationSource
{
    /// <summary>repoURL.</summary>
    public required string RepoUrl { get; init; }

    /// <summary>targetRevision: branch, tag, SHA or HEAD (the default).</summary>
    public string TargetRevision { get; init; } = "HEAD";

    /// <summary>path inside the repository; "." for the root.</summary>
    public string Path { get; init; } = ".";

    /// <summary>directory options, when set.</summary>
    public DirectoryOptions? Directory { get; init; }

    /// <summary>kustomize options, when set.</summary>
    public KustomizeOptions? Kustomize { get; init; }

    /// <summary>ref (spec.sources only): the name other sources' Helm value files use as <c>$ref/path</c>.</summary>
    public string? Ref { get; init; }

    /// <summary>False for a ref-only source (a ref without a path), which contributes files but no manifests.</summary>
    public bool RendersManifests { get; init; } = true;

    /// <summary>helm options, when set.</summary>
    public HelmOptions? Helm { get; init; }
}
