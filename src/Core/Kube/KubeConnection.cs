using System.Security.Cryptography.X509Certificates;

namespace Ferry.Core.Kube;

/// <summary>Everything needed to talk to one cluster: address, TLS trust and credentials (resolved from a kubeconfig, in-cluster files or given directly).</summary>
internal sealed record KubeConnection
{
    public required Uri Server { get; init; }

    /// <summary>The CA certificates to trust exclusively; empty: the system's trust store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to verify the server certificate against instead of the server's host.</summary>
    public string? TlsServerName { get; init; }

    public IKubeCredentials Credentials { get; init; } = new StaticCredentials(KubeCredential.None);

    /// <summary>The context's namespace, if it names one.</summary>
    public string? Namespace { get; init; }
}
