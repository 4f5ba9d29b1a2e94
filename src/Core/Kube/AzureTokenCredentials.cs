using Azure.Core;

namespace Ferry.Core.Kube;

/// <summary>Microsoft Entra tokens for AKS (managed identity, workload identity, Azure CLI) from an Azure <see cref="TokenCredential"/>.</summary>
internal sealed class AzureTokenCredentials(TokenCredential credential, TimeProvider time) : IKubeCredentials
{
    /// <summary>The AKS AAD server application's scope, the same for every AKS cluster.</summary>
    public const string AksScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private volatile Cached? _cached;

    public async ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (cached is not null && cached.ExpiresOn - RefreshBefore > time.GetUtcNow())
        {
            return cached.Credential;
        }

        AccessToken token;
        try
        {
            token = await credential.GetTokenAsync(new TokenRequestContext([AksScope]), cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw new KubeCredentialException("Azure credential", "could not obtain a token for AKS", ex);
        }

        var result = new KubeCredential(token.Token, null);
        _cached = new Cached(result, token.ExpiresOn);
        return result;
    }

    public bool Invalidate()
    {
        _cached = null;
        return true;
    }

    private sealed record Cached(KubeCredential Credential, DateTimeOffset ExpiresOn);
}
