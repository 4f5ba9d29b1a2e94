using Ferry.Core.Apps;

namespace Ferry.Core.Jobs;

/// <summary>Gives the Kubernetes client for an app's destination.</summary>
public interface IClusterConnector
{
    /// <summary>Connects (or reuses a connection) to the cluster the destination names.</summary>
    Task<ClusterConnection> ConnectAsync(ApplicationDestination destination, CancellationToken cancellationToken);
}
