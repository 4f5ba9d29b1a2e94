using Azure.Core;

namespace Ferry.Core.Storage;

/// <summary>Holds one Azure AD token for the storage scope and fetches a new one only when it is near expiry.</summary>
internal sealed class BearerTokenCache(TokenCredential credential, TimeProvider timeProvider, TimeSpan refreshMargin)
{
    /// <summary>The scope Azure Storage accepts for data-plane tokens.</summary>
    public const string Scope = "https://storage.azure.com/.default";

    private readonly SemaphoreSlim gate = new(1, 1);
    private AccessToken? current;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (current is { } token && IsFresh(token))
        {
            return token.Token;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is { } raced && IsFresh(raced))
            {
                return raced.Token;
            }

            var fetched = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
            current = fetched;
            return fetched.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    private bool IsFresh(AccessToken token)
    {
        var now = timeProvider.GetUtcNow();
        if (token.RefreshOn is { } refreshOn && now >= refreshOn)
        {
            return false;
        }

        return now < token.ExpiresOn - refreshMargin;
    }
}
