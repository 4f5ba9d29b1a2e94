using Ferry.Core.Apps;

namespace Ferry.Core.Jobs;

/// <summary>Gives the Kubernetes client for an app's destination.</summary>
public interface IClusterConnector
{
    /// <summary>Connects (or reuses a connection) to the cluster the destination names.</summary>
    Task<ClusterConnection> ConnectAsync(ApplicationDestination destination, CancellationToken cancellationToken);

    /// <summary>The cluster a destination names, as a stable key (apps with the same key share a drift sweep); by default the server URL, else the name.</summary>
    string KeyOf(ApplicationDestination destination) => destination.Server ?? destination.Name ?? string.Empty;
}
