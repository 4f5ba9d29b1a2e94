using System.Security.Cryptography.X509Certificates;

namespace Ferry.Core.Kube;

/// <summary>Supplies the bearer token and/or client certificate of each request; implementations cache and refresh.</summary>
internal interface IKubeCredentials
{
    /// <summary>The credentials to use now (cached until they expire).</summary>
    ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken);

    /// <summary>Forgets cached credentials after a 401; true when fetching again could help.</summary>
    bool Invalidate();
}

/// <summary>A bearer token and/or a client certificate; the token is never logged or put in messages.</summary>
internal sealed record KubeCredential(string? Token, X509Certificate2? ClientCertificate)
{
    public static readonly KubeCredential None = new(null, null);
}

/// <summary>Credentials that never change: a token from the kubeconfig, a client certificate, or nothing.</summary>
internal sealed class StaticCredentials(KubeCredential credential) : IKubeCredentials
{
    public ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(credential);

    public bool Invalidate() => false;
}
