namespace Ferry.Core.Kube;

/// <summary>A <c>clusters[]</c> entry of a kubeconfig; file paths are already absolute (resolved against the kubeconfig's folder).</summary>
public sealed record KubeConfigCluster
{
    /// <summary>The entry's name.</summary>
    public required string Name { get; init; }

    /// <summary>The API server address, e.g. <c>https://10.0.0.1:6443</c>.</summary>
    public string? Server { get; init; }

    /// <summary>Path of a PEM CA bundle (<c>certificate-authority</c>).</summary>
    public string? CertificateAuthority { get; init; }

    /// <summary>PEM text of the CA bundle (<c>certificate-authority-data</c>, base64-decoded).</summary>
    public string? CertificateAuthorityData { get; init; }

    /// <summary>Skip verification of the server's certificate (<c>insecure-skip-tls-verify</c>).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Name to verify the server's certificate against (<c>tls-server-name</c>).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>The kubeconfig file this entry came from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Where in the file, e.g. <c>clusters[0].cluster</c>, for error messages.</summary>
    public required string Field { get; init; }
}
