namespace Ferry.Core.Render;

/// <summary>What to render: a checkout, a path inside it, and the application's source options.</summary>
public sealed record RenderRequest
{
    /// <summary>Absolute path of the checked-out tree (the repository root); paths may not escape it.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Path of the source inside the tree ("." for the root).</summary>
    public required string Path { get; init; }

    /// <summary>Application name (Helm release default, labels).</summary>
    public string AppName { get; init; } = "app";

    /// <summary>Destination namespace (Helm's <c>--namespace</c>, Kustomize's default).</summary>
    public string? Namespace { get; init; }

    /// <summary>Directory options.</summary>
    public DirectoryOptions Directory { get; init; } = new();

    /// <summary>Kustomize overrides; null when the app sets none.</summary>
    public KustomizeOptions? Kustomize { get; init; }

    /// <summary>Helm options; null when the app sets none.</summary>
    public HelmOptions? Helm { get; init; }

    /// <summary>Reads the destination cluster's capabilities for Helm; asked only when a chart is rendered; null renders with helm's defaults.</summary>
    public Func<CancellationToken, Task<Helm.HelmCapabilities>>? Capabilities { get; init; }

    /// <summary>Pulls a chart's Chart.yaml dependencies from HTTP(S) chart repositories and OCI registries; null refuses such dependencies unless charts/ holds them.</summary>
    public Charts.ChartCache? Charts { get; init; }

    /// <summary>Checkouts of the app's ref sources by ref name, for Helm value files written <c>$ref/path</c>.</summary>
    public IReadOnlyDictionary<string, string> RefRoots { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
