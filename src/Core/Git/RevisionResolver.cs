namespace Ferry.Core.Git;

/// <summary>
/// Resolves revisions through listings of a repository's remote references shared by every caller in the process: the apps of one
/// drift sweep share one listing per repository (keyed by its normalized URL), whatever ref each follows; a job the sweep handed an app
/// to, which names the commit the sweep resolved, reuses the newest listing when that listing still says so.
/// </summary>
public sealed class RevisionResolver(GitRepositoryCache git)
{
    private readonly Dictionary<string, Listing> _listings = new(StringComparer.Ordinal);

    /// <summary>Resolves from the listing of the repository's references made for <paramref name="scope"/> (one per repository per scope), listing the remote when there is none yet.</summary>
    public Task<string> ResolveAsync(string repoUrl, string revision, object scope, CancellationToken cancellationToken) =>
        git.ResolveAsync(repoUrl, revision, ct => ListingAsync(repoUrl, scope, ct), cancellationToken);

    /// <summary>
    /// Resolves from the newest listing when it resolves to <paramref name="expected"/> (the commit a job was enqueued for), else from a
    /// new listing: the job never deploys an older commit than the listing its enqueuer saw.
    /// </summary>
    public async Task<string> ResolveExpectingAsync(string repoUrl, string revision, string expected, CancellationToken cancellationToken)
    {
        Listing? newest;
        lock (_listings)
        {
            newest = _listings.GetValueOrDefault(Key(repoUrl));
        }

        if (newest is { Refs.IsCompletedSuccessfully: true })
        {
            var cached = await git.ResolveAsync(repoUrl, revision, _ => newest.Refs, cancellationToken).ConfigureAwait(false);
            if (string.Equals(cached, expected, StringComparison.OrdinalIgnoreCase))
            {
                return cached;
            }
        }

        return await ResolveAsync(repoUrl, revision, new object(), cancellationToken).ConfigureAwait(false);
    }

    private Task<IReadOnlyList<GitRef>> ListingAsync(string repoUrl, object scope, CancellationToken cancellationToken)
    {
        var key = Key(repoUrl);
        Listing listing;
        lock (_listings)
        {
            if (!_listings.TryGetValue(key, out listing!) || !ReferenceEquals(listing.Scope, scope) || listing.Refs.IsFaulted || listing.Refs.IsCanceled)
            {
                // Shared by every caller, so no caller's token cancels it; the Git cache's own time limit bounds it.
                listing = new Listing(scope, Task.Run(() => git.ListRefsAsync(repoUrl, CancellationToken.None), CancellationToken.None));
                _listings[key] = listing;
            }
        }

        return listing.Refs.WaitAsync(cancellationToken);
    }

    private static string Key(string repoUrl) => GitUrl.Normalize(GitUrl.WithoutCredentials(repoUrl));

    private sealed record Listing(object Scope, Task<IReadOnlyList<GitRef>> Refs);
}
