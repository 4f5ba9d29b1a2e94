using System.Collections.Concurrent;
using Azure.Identity;
using Ferry.Core.Apps;
using Ferry.Core.Kube;

namespace Ferry.Core.Jobs;

/// <summary>Builds one cached Kubernetes client per cluster entry: kubeconfig context, bearer token from the environment, or Azure managed identity.</summary>
public sealed class ClusterConnector(ClusterCatalog clusters, string? kubeconfigPath = null, IReadOnlyDictionary<string, string?>? environment = null, KubeClientOptions? options = null)
    : IClusterConnector, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ClusterConnection>>> _connections = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<ClusterConnection> ConnectAsync(ApplicationDestination destination, CancellationToken cancellationToken)
    {
        var entry = clusters.Resolve(destination);
        var lazy = _connections.GetOrAdd(entry.Name, _ => new Lazy<Task<ClusterConnection>>(() => CreateAsync(entry, CancellationToken.None)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed connection (unreachable, bad config) is not cached: the next job tries again.
            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<ClusterConnection>>>(entry.Name, lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public string KeyOf(ApplicationDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            return clusters.Resolve(destination).Name;
        }
        catch (UnknownClusterException)
        {
            // Its apps fail on their own when reconciled; they still get swept, together.
            return destination.Server ?? destination.Name ?? string.Empty;
        }
    }

    private async Task<ClusterConnection> CreateAsync(ClusterEntry entry, CancellationToken cancellationToken)
    {
        switch (entry.Auth)
        {
            case KubeconfigClusterAuth kubeconfig:
                var client = await KubeClientFactory.FromKubeConfigAsync(kubeconfig.Path ?? kubeconfigPath, kubeconfig.Context, options, cancellationToken);
                return new ClusterConnection(client, kubeconfig.Context is null ? entry.Name : $"{entry.Name} ({kubeconfig.Context})");
            case TokenClusterAuth token:
                var value = Lookup(token.EnvironmentVariable)
                    ?? throw new KubeCredentialException(token.EnvironmentVariable, $"environment variable {token.EnvironmentVariable} for cluster '{entry.Name}' is not set");
                var ca = token.CaData is null ? null : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token.CaData));
                return new ClusterConnection(KubeClientFactory.FromToken(new Uri(entry.Server), value, ca, token.Insecure, options), entry.Name);
            case AzureClusterAuth azure:
                var credential = azure.ClientId is null ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned) : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(azure.ClientId));
                return new ClusterConnection(KubeClientFactory.FromAzureCredential(new Uri(entry.Server), credential, null, options), entry.Name);
            default:
                throw new InvalidOperationException($"cluster '{entry.Name}' has an authentication kind Ferry does not know");
        }
    }

    private string? Lookup(string name) =>
        environment is not null ? environment.GetValueOrDefault(name) : Environment.GetEnvironmentVariable(name);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var lazy in _connections.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result.Client is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }
}
