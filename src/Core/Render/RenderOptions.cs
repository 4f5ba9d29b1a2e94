namespace Ferry.Core.Render;

/// <summary>Options of the plain-directory renderer (Argo CD's <c>source.directory</c>).</summary>
public sealed record DirectoryOptions
{
    /// <summary>Descend into subdirectories.</summary>
    public bool Recurse { get; init; }

    /// <summary>Glob of files to include (Argo's syntax, e.g. <c>{a.yaml,b/*.yaml}</c>); null includes all.</summary>
    public string? Include { get; init; }

    /// <summary>Glob of files to exclude; null excludes none.</summary>
    public string? Exclude { get; init; }
}

/// <summary>Argo CD's <c>source.kustomize</c> overrides, applied on top of the kustomization.</summary>
public sealed record KustomizeOptions
{
    /// <summary>Image overrides in kustomize's <c>edit set image</c> syntax (<c>name=newName:tag</c> / <c>name:tag</c> / <c>name@digest</c>).</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>Prefix for every name.</summary>
    public string? NamePrefix { get; init; }

    /// <summary>Suffix for every name.</summary>
    public string? NameSuffix { get; init; }

    /// <summary>Labels added to every object and selector.</summary>
    public IReadOnlyDictionary<string, string> CommonLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations added to every object.</summary>
    public IReadOnlyDictionary<string, string> CommonAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Namespace set on every namespaced object.</summary>
    public string? Namespace { get; init; }

    /// <summary>Replica overrides by workload name.</summary>
    public IReadOnlyList<KustomizeReplica> Replicas { get; init; } = [];
}

/// <summary>One replica override: the workload's name and its count.</summary>
public sealed record KustomizeReplica(string Name, int Count);

/// <summary>Argo CD's <c>source.helm</c> options.</summary>
public sealed record HelmOptions
{
    /// <summary>Release name; defaults to the application name.</summary>
    public string? ReleaseName { get; init; }

    /// <summary>Value files relative to the chart.</summary>
    public IReadOnlyList<string> ValueFiles { get; init; } = [];

    /// <summary>Inline values YAML.</summary>
    public string? Values { get; init; }

    /// <summary><c>--set</c> parameters.</summary>
    public IReadOnlyList<HelmParameter> Parameters { get; init; } = [];
}

/// <summary>One Helm parameter; <paramref name="ForceString"/> maps to <c>--set-string</c>.</summary>
public sealed record HelmParameter(string Name, string Value, bool ForceString = false);
