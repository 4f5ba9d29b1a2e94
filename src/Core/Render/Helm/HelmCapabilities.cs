namespace Ferry.Core.Render.Helm;

/// <summary>
/// What a chart sees as <c>.Capabilities</c>: the cluster's Kubernetes version (<c>--kube-version</c>) and the API versions it serves
/// (<c>--api-versions</c>: every <c>group/version</c> and <c>group/version/Kind</c>), as Argo CD passes them from discovery.
/// </summary>
public sealed record HelmCapabilities
{
    /// <summary>The server's version, e.g. <c>v1.30.2</c>.</summary>
    public required string KubeVersion { get; init; }

    /// <summary>The API versions, ordinal-sorted.</summary>
    public required IReadOnlyList<string> ApiVersions { get; init; }
}
