namespace Ferry.Core.Kube;

/// <summary>The API server could not be reached or did not answer in time; names the server, never credentials.</summary>
public sealed class KubeUnreachableException(Uri server, string reason, Exception? inner)
    : Exception($"cannot reach the Kubernetes API server {server.GetLeftPart(UriPartial.Authority)}: {reason}", inner)
{
    /// <summary>The server that was asked.</summary>
    public Uri Server { get; } = server;
}
