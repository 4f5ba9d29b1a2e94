using System.Text.Json.Nodes;

namespace Ferry.Core.Kube;

/// <summary>The Kubernetes API verbs Ferry needs, on unstructured objects. Failures throw <c>KubeApiException</c>.</summary>
public interface IKubeClient
{
    /// <summary>The cluster's address, for messages.</summary>
    Uri Server { get; }

    /// <summary>The server's <c>/version</c> gitVersion.</summary>
    Task<string> GetServerVersionAsync(CancellationToken cancellationToken);

    /// <summary>Every resource discovery lists (cached).</summary>
    Task<IReadOnlyList<ApiResource>> GetApiResourcesAsync(CancellationToken cancellationToken);

    /// <summary>Maps an apiVersion and kind to its resource; throws when the kind is unknown (a missing CRD).</summary>
    Task<ApiResource> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken);

    /// <summary>Drops cached discovery (after a CRD was applied).</summary>
    void InvalidateDiscovery();

    /// <summary>Reads one object; null when it does not exist.</summary>
    Task<JsonObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken);

    /// <summary>Lists objects of a resource in a namespace (null: all namespaces), following pagination.</summary>
    Task<IReadOnlyList<JsonObject>> ListAsync(ApiResource resource, string? ns, ListOptions options, CancellationToken cancellationToken);

    /// <summary>Server-side applies an object and returns what the server answered.</summary>
    Task<JsonObject> ApplyAsync(JsonObject obj, ApplyOptions options, CancellationToken cancellationToken);

    /// <summary>Creates an object (POST).</summary>
    Task<JsonObject> CreateAsync(ApiResource resource, string? ns, JsonObject obj, CancellationToken cancellationToken);

    /// <summary>Replaces an object (PUT); the object's resourceVersion makes it conditional.</summary>
    Task<JsonObject> UpdateAsync(ApiResource resource, string? ns, JsonObject obj, CancellationToken cancellationToken);

    /// <summary>Deletes an object; false when it was already gone.</summary>
    Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken);
}
