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

    /// <summary>helm options, when set.</summary>
    public HelmOptions? Helm { get; init; }
}
