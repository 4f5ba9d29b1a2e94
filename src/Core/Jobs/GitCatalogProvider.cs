using Ferry.Core.Apps;
using Ferry.Core.Git;

namespace Ferry.Core.Jobs;

/// <summary>
/// Reads the app catalog from a Git apps repository (the app-of-apps way): resolves the revision with ls-remote on each
/// call and re-reads the catalog only when the commit changed.
/// </summary>
public sealed class GitCatalogProvider(GitRepositoryCache git, string repoUrl, string path = ".", string revision = "HEAD") : ICatalogProvider
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Sha, ApplicationCatalog Catalog)? _cached;

    /// <summary>The commit the cached catalog was read from.</summary>
    public string? Revision => _cached?.Sha;

    /// <inheritdoc/>
    public async Task<ApplicationCatalog> GetAsync(CancellationToken cancellationToken)
    {
        var sha = await git.ResolveAsync(repoUrl, revision, cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } cached && cached.Sha == sha)
            {
                return cached.Catalog;
            }

            var anyRoot = System.IO.Path.GetFullPath("/repository");
            if (!System.IO.Path.GetFullPath(System.IO.Path.Combine(anyRoot, path)).StartsWith(anyRoot, StringComparison.Ordinal))
            {
                throw new AppValidationException([new AppValidationError(path, 0, "FERRY_APPS_PATH", "the apps path leaves the repository")]);
            }

            // Only the apps folder is written out: the catalog needs nothing else from the repository.
            using var checkout = await git.CheckoutAsync(repoUrl, sha, path, cancellationToken);
            var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(checkout.Path, path));
            var catalog = await new ApplicationCatalogLoader().LoadAsync(full, cancellationToken, displayRoot: path);
            _cached = (sha, catalog);
            return catalog;
        }
        finally
        {
            _gate.Release();
        }
    }
}
