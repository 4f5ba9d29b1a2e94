using System.Text.Json.Nodes;
using Ferry.Core.Kube;

namespace Ferry.Bench;

/// <summary>Counts the API verbs a caller uses (get, list, apply, dry-run apply, delete) and passes every call through.</summary>
internal sealed class CountingKubeClient(IKubeClient inner) : IKubeClient
{
    private int _gets;
    private int _lists;
    private int _applies;
    private int _dryRuns;
    private int _deletes;

    public Uri Server => inner.Server;

    public int Gets => Volatile.Read(ref _gets);

    public int Lists => Volatile.Read(ref _lists);

    public int Applies => Volatile.Read(ref _applies);

    public int DryRuns => Volatile.Read(ref _dryRuns);

    public int Deletes => Volatile.Read(ref _deletes);

    public void Reset()
    {
        _gets = 0;
        _lists = 0;
        _applies = 0;
        _dryRuns = 0;
        _deletes = 0;
    }

    public Task<string> GetServerVersionAsync(CancellationToken cancellationToken) => inner.GetServerVersionAsync(cancellationToken);

    public Task<IReadOnlyList<ApiResource>> GetApiResourcesAsync(CancellationToken cancellationToken) => inner.GetApiResourcesAsync(cancellationToken);

    public Task<ApiResource> ResolveAsync(string apiVersion, string kind, CancellationToken cancellationToken) => inner.ResolveAsync(apiVersion, kind, cancellationToken);

    public void InvalidateDiscovery() => inner.InvalidateDiscovery();

    public Task<JsonObject?> GetAsync(ApiResource resource, string? ns, string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _gets);
        return inner.GetAsync(resource, ns, name, cancellationToken);
    }

    public Task<IReadOnlyList<JsonObject>> ListAsync(ApiResource resource, string? ns, ListOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync(resource, ns, options, cancellationToken);
    }

    public Task<JsonObject> ApplyAsync(JsonObject obj, ApplyOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref options.DryRun ? ref _dryRuns : ref _applies);
        return inner.ApplyAsync(obj, options, cancellationToken);
    }

    public Task<JsonObject> CreateAsync(ApiResource resource, string? ns, JsonObject obj, CancellationToken cancellationToken) => inner.CreateAsync(resource, ns, obj, cancellationToken);

    public Task<JsonObject> UpdateAsync(ApiResource resource, string? ns, JsonObject obj, CancellationToken cancellationToken) => inner.UpdateAsync(resource, ns, obj, cancellationToken);

    public Task<bool> DeleteAsync(ApiResource resource, string? ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deletes);
        return inner.DeleteAsync(resource, ns, name, options, cancellationToken);
    }
}
