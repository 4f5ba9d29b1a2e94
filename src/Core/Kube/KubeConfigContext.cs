namespace Ferry.Core.Kube;

/// <summary>A <c>contexts[]</c> entry of a kubeconfig: which cluster, which user, which default namespace.</summary>
public sealed record KubeConfigContext
{
    /// <summary>The entry's name.</summary>
    public required string Name { get; init; }

    /// <summary>The cluster entry's name.</summary>
    public string? Cluster { get; init; }

    /// <summary>The user entry's name.</summary>
    public string? User { get; init; }

    /// <summary>The default namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The kubeconfig file this entry came from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Where in the file, e.g. <c>contexts[0].context</c>.</summary>
    public required string Field { get; init; }
}
