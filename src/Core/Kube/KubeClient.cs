using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace Ferry.Core.Kube;

/// <summary>Ferry's dynamic Kubernetes client for one cluster, on KubernetesClient's connection: cached discovery, get, list, server-side apply, create, update, delete.</summary>
public sealed class KubeClient : IKubeClient, IDisposable
{
    private const string ApplyPatchMediaType = "application/apply-patch+yaml";
    private const string JsonMediaType = "application/json";

    private readonly KubeTransport _transport;
    private readonly KubeDiscovery _discovery;
    private readonly string _defaultNamespace;

    internal KubeClient(KubernetesClientConfiguration config, KubeClientOptions options)
    {
        _defaultNamespace = config.Namespace?.Trim() is { Length: > 0 } ns ? ns : options.DefaultNamespace;
        _transport = new KubeTransport(config, options);
        _discovery = new KubeDiscovery(_transport, options);
    }

    /// <inheritdoc/>
    public Uri Server => _transport.Server;

    /// <summary>The namespace used for namespaced objects that name none (the context's, else the options').</summary>
    public string DefaultNamespace => _defaultNamespace;

    /// <inheritdoc/>
    public Task<string> GetServerVersionAsync(CancellationToken cancellationToken) => _discovery.ServerVersionAsync(cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Group-versions the server lists but cannot describe (404, an aggregated API that is down) are left out, as kubectl does.</remarks>
    public async Task<IReadOnlyList<ApiResource>> GetApiResourcesAsync(CancellationToken cancellationToken)
    {
        var groupVersions = await _discovery.GroupVersionsAsync(cancellationToken).ConfigureAwait(false);
        var documents = await Task.WhenAll(groupVersions.Select(async gv =>
        {
            try
            {
                return await _discovery.ResourcesAsync(gv, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException ex) when (ex.StatusCode is 503 or 404)
            {
                return null;
            }
        })).ConfigureAwait(false);
        return documents.OfType<IReadOnlyList<ApiResource>>()
            .SelectMany(d => d)
            .OrderBy(r => r.Group, StringComparer.Ordinal)
            .ThenBy(r => r.Version, StringComparer.Ordinal)
            .ThenBy(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <inheritdoc/>
    public async Task<ApiResource> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiVersion);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        for (var fresh = false; ; fresh = true)
        {
            var resources = await _discovery.ResourcesAsync(apiVersion, cancellationToken).ConfigureAwait(false);
            var match = resources?.FirstOrDefault(r => r.Kind == kind);
            if (match is not null)
            {
                return match;
            }

            if (fresh)
            {
                throw new UnknownKindException(apiVersion, kind);
            }

            // A CRD may have been established since the document was cached: look once more before giving up.
            _discovery.Invalidate(apiVersion);
        }
    }

    /// <inheritdoc/>
    public void InvalidateDiscovery() => _discovery.InvalidateAll();

    /// <inheritdoc/>
    public async Task<JsonObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken)
    {
        var response = await _transport.SendAsync(HttpMethod.Get, resource.ObjectPath(Namespace(resource, ns), name), resource.Name, null, KubeRetry.Safe, cancellationToken).ConfigureAwait(false);
        return response.Error is { IsNotFound: true } ? null : AsObject(response.Require());
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(ApiResource resource, string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? continueToken = null;
        do
        {
            var query = new QueryBuilder();
            query.Add("labelSelector", options.LabelSelector);
            query.Add("limit", options.PageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            query.Add("continue", continueToken);
            var path = resource.CollectionPath(resource.Namespaced ? ns : null) + query;
            var page = AsObject((await _transport.SendAsync(HttpMethod.Get, path, resource.Name, null, KubeRetry.Safe, cancellationToken).ConfigureAwait(false)).Require());

            // Items of a list carry no apiVersion/kind on the wire; fill them in from the list as kubectl does.
            var listKind = (string?)page["kind"];
            var itemKind = listKind is not null && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : resource.Kind;
            var apiVersion = (string?)page["apiVersion"] ?? resource.ApiVersion;
            if (page["items"] is JsonArray array)
            {
                var detached = array.ToArray();
                array.Clear();
                foreach (var item in detached.OfType<JsonObject>())
                {
                    if (!item.ContainsKey("apiVersion"))
                    {
                        item.Insert(0, "apiVersion", apiVersion);
                    }

                    if (!item.ContainsKey("kind"))
                    {
                        item.Insert(1, "kind", itemKind);
                    }

                    items.Add(item);
                }
            }

            continueToken = (string?)page["metadata"]?["continue"];
        }
        while (!string.IsNullOrEmpty(continueToken));

        return items;
    }

    /// <inheritdoc/>
    public async Task<JsonObject> ApplyAsync(JsonObject obj, ApplyOptions options, CancellationToken cancellationToken)
    {
        var (resource, ns, name) = await LocateAsync(obj, cancellationToken).ConfigureAwait(false);
        var query = new QueryBuilder();
        query.Add("fieldManager", options.FieldManager);
        query.Add("force", options.Force ? "true" : null);
        query.Add("dryRun", options.DryRun ? "All" : null);
        query.Add("fieldValidation", options.FieldValidation);
        var path = resource.ObjectPath(ns, name) + query;
        var response = await _transport.SendAsync(HttpMethod.Patch, path, resource.Name, () => new JsonNodeContent(obj, ApplyPatchMediaType), KubeRetry.Safe, cancellationToken).ConfigureAwait(false);
        return AsObject(response.Require());
    }

    /// <inheritdoc/>
    public async Task<JsonObject> CreateAsync(ApiResource resource, string? ns, JsonObject obj, CancellationToken cancellationToken)
    {
        var path = resource.CollectionPath(Namespace(resource, ns ?? (string?)obj["metadata"]?["namespace"]));
        var response = await _transport.SendAsync(HttpMethod.Post, path, resource.Name, () => new JsonNodeContent(obj, JsonMediaType), KubeRetry.WhenRefused, cancellationToken).ConfigureAwait(false);
        return AsObject(response.Require());
    }

    /// <inheritdoc/>
    public async Task<JsonObject> UpdateAsync(ApiResource resource, string? ns, JsonObject obj, CancellationToken cancellationToken)
    {
        var name = (string?)obj["metadata"]?["name"] ?? throw new ArgumentException("the object has no metadata.name", nameof(obj));
        var path = resource.ObjectPath(Namespace(resource, ns ?? (string?)obj["metadata"]?["namespace"]), name);
        var response = await _transport.SendAsync(HttpMethod.Put, path, resource.Name, () => new JsonNodeContent(obj, JsonMediaType), KubeRetry.Safe, cancellationToken).ConfigureAwait(false);
        return AsObject(response.Require());
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        var body = DeleteBody(options);
        var path = resource.ObjectPath(Namespace(resource, ns), name);
        // Sent again after a lost answer, a plain delete could remove an object re-created meanwhile; one bound to the uid cannot.
        var retry = options.PreconditionUid is null ? KubeRetry.WhenRefused : KubeRetry.Safe;
        var response = await _transport.SendAsync(HttpMethod.Delete, path, resource.Name, body is null ? null : () => new JsonNodeContent(body, JsonMediaType), retry, cancellationToken).ConfigureAwait(false);
        if (response.Error is { IsNotFound: true })
        {
            return false;
        }

        response.Require();
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    private async Task<(ApiResource Resource, string? Namespace, string Name)> LocateAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        var apiVersion = (string?)obj["apiVersion"];
        var kind = (string?)obj["kind"];
        var name = (string?)obj["metadata"]?["name"];
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind) || string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("the object needs apiVersion, kind and metadata.name", nameof(obj));
        }

        var resource = await ResolveAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false);
        return (resource, Namespace(resource, (string?)obj["metadata"]?["namespace"]), name);
    }

    private string? Namespace(ApiResource resource, string? ns) =>
        !resource.Namespaced ? null : string.IsNullOrEmpty(ns) ? _defaultNamespace : ns;

    private static JsonObject? DeleteBody(DeleteOptions options)
    {
        if (options.PropagationPolicy is null && options.PreconditionUid is null && options.PreconditionResourceVersion is null && !options.DryRun)
        {
            return null;
        }

        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (options.PropagationPolicy is { } policy)
        {
            body["propagationPolicy"] = policy;
        }

        if (options.PreconditionUid is not null || options.PreconditionResourceVersion is not null)
        {
            var preconditions = new JsonObject();
            if (options.PreconditionUid is { } uid)
            {
                preconditions["uid"] = uid;
            }

            if (options.PreconditionResourceVersion is { } resourceVersion)
            {
                preconditions["resourceVersion"] = resourceVersion;
            }

            body["preconditions"] = preconditions;
        }

        if (options.DryRun)
        {
            body["dryRun"] = new JsonArray("All");
        }

        return body;
    }

    private static JsonObject AsObject(JsonNode node) =>
        node as JsonObject ?? throw new InvalidOperationException($"expected a JSON object from the API server, got {node.GetValueKind()}");

    /// <summary>Builds a query string with escaped values, skipping nulls.</summary>
    private struct QueryBuilder
    {
        private StringBuilder? _text;

        public void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            _text ??= new StringBuilder();
            _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        public override readonly string ToString() => _text?.ToString() ?? string.Empty;
    }
}
