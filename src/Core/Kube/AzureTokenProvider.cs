using System.Net.Http.Headers;
using Azure.Core;
using k8s.Authentication;

namespace Ferry.Core.Kube;

/// <summary>Microsoft Entra tokens for AKS (managed identity, workload identity, Azure CLI) from an Azure <see cref="TokenCredential"/>, cached until shortly before they expire.</summary>
internal sealed class AzureTokenProvider(TokenCredential credential, TimeProvider time) : ITokenProvider
{
    /// <summary>The AKS AAD server application's scope, the same for every AKS cluster.</summary>
    public const string AksScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private volatile Cached? _cached;

    /// <inheritdoc/>
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        if (cached is null || cached.ExpiresOn - RefreshBefore <= time.GetUtcNow())
        {
            AccessToken token;
            try
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([AksScope]), cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.Identity.AuthenticationFailedException ex)
            {
                throw new KubeCredentialException("Azure credential", "could not obtain a token for AKS", ex);
            }

            cached = new Cached(token.Token, token.ExpiresOn);
            _cached = cached;
        }

        return new AuthenticationHeaderValue("Bearer", cached.Token);
    }

    private sealed record Cached(string Token, DateTimeOffset ExpiresOn);
}
