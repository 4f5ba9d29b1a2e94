using Ferry.Core.Kube;
using Ferry.Core.Render.Helm;

namespace Ferry.Core.Jobs;

/// <summary>The destination cluster's capabilities for Helm, read from discovery as Argo CD reads them.</summary>
public static class ClusterCapabilities
{
    /// <summary>The server's version and every <c>group/version</c> and <c>group/version/Kind</c> it serves (subresources left out).</summary>
    public static async Task<HelmCapabilities> ReadAsync(IKubeClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var version = await client.GetServerVersionAsync(cancellationToken);
        var resources = await client.GetApiResourcesAsync(cancellationToken);
        var apiVersions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources.Where(r => !r.Name.Contains('/', StringComparison.Ordinal)))
        {
            apiVersions.Add(resource.ApiVersion);
            apiVersions.Add($"{resource.ApiVersion}/{resource.Kind}");
        }

        return new HelmCapabilities { KubeVersion = version, ApiVersions = [.. apiVersions] };
    }
}
