using Ferry.Core.Render;

namespace Ferry.Core.Apps;

/// <summary>spec.source: the Git repository, revision and path, and the tool options.</summary>
public sealed record ApplicationSource
{
    /// <summary>repoURL.</summary>
    public required string RepoUrl { get; init; }

    /// <summary>targetRevision: branch, tag, SHA or HEAD (the default); for a chart, its version or a semver constraint.</summary>
    public string TargetRevision { get; init; } = "HEAD";

    /// <summary>chart: the Helm chart's name when repoURL is a chart repository or OCI registry path; null for Git (and for a whole <c>oci://…/chart</c> reference).</summary>
    public string? Chart { get; init; }

    /// <summary>The chart's location when this source is a Helm chart from a repository or registry (<c>chart</c> set, or an <c>oci://</c> repoURL); null for Git.</summary>
    public Charts.ChartLocation? ChartLocation => Charts.ChartLocation.From(RepoUrl, Chart);

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
