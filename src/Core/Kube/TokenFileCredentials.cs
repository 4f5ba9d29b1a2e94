namespace Ferry.Core.Kube;

/// <summary>A bearer token read from a file (a kubeconfig <c>tokenFile</c>, the in-cluster service account token), re-read every minute because those tokens rotate.</summary>
internal sealed class TokenFileCredentials(string path, TimeProvider time) : IKubeCredentials
{
    private static readonly TimeSpan RereadAfter = TimeSpan.FromMinutes(1);
    private volatile Cached? _cached;

    public async ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken)
    {
        var cached = _cached;
        var now = time.GetUtcNow();
        if (cached is not null && cached.ReadAt + RereadAfter > now)
        {
            return cached.Credential;
        }

        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeCredentialException(path, "cannot read the token file", ex);
        }

        var credential = new KubeCredential(token, null);
        _cached = new Cached(credential, now);
        return credential;
    }

    public bool Invalidate()
    {
        _cached = null;
        return true;
    }

    private sealed record Cached(KubeCredential Credential, DateTimeOffset ReadAt);
}
