namespace Ferry.Core.Apps;

/// <summary>One cluster of the clusters file: its name, API server URL and how to authenticate.</summary>
public sealed record ClusterEntry(string Name, string Server, ClusterAuth Auth)
{
    /// <summary>The server URL Argo CD uses for the cluster it runs in.</summary>
    public const string InClusterServer = "https://kubernetes.default.svc";

    /// <summary>The name Argo CD gives the cluster it runs in.</summary>
    public const string InClusterName = "in-cluster";

    /// <summary>The in-cluster destination when running locally: the current kubeconfig context.</summary>
    public static readonly ClusterEntry LocalInCluster = new(InClusterName, InClusterServer, new KubeconfigClusterAuth());
}
