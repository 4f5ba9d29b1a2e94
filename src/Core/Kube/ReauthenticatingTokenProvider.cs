using System.Net.Http.Headers;
using k8s.Authentication;

namespace Ferry.Core.Kube;

/// <summary>
/// Wraps a KubernetesClient token provider so that a 401 can start over with a fresh one (an exec plugin runs again, a token file is
/// read again, an Azure token is fetched again), and so that its failures surface as <see cref="KubeCredentialException"/>.
/// </summary>
internal sealed class ReauthenticatingTokenProvider(Func<ITokenProvider> create, Func<Exception, KubeCredentialException> failure) : ITokenProvider
{
    private volatile ITokenProvider _current = create();

    /// <inheritdoc/>
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _current.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or KubeCredentialException))
        {
            throw failure(ex);
        }
    }

    /// <summary>Drops the provider and what it cached; the next request asks a new one.</summary>
    public void Invalidate() => _current = create();
}
