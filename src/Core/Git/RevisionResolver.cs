namespace Ferry.Core.Git;

/// <summary>
/// Resolves revisions through listings of a repository's remote references shared by every caller in the process: a drift sweep
/// lists each repository once (keyed by its normalized URL) and every app on it, whatever its ref, resolves from that listing; a job
/// that names the commit it expects reuses the newest listing when that listing already says so.
/// </summary>
public sealed class RevisionResolver(GitRepositoryCache git, TimeProvider? time = null)
{
    private readonly Dictionary<string, Listing> _listings = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Resolves from a listing of the repository's references started at or after <paramref name="notBefore"/>, listing the remote only when there is none.</summary>
    public Task<string> ResolveAsync(string repoUrl, string revision, DateTimeOffset notBefore, CancellationToken cancellationToken) =>
        git.ResolveAsync(repoUrl, revision, ct => ListingAsync(repoUrl, notBefore, ct), cancellationToken);

    /// <summary>
    /// Resolves from the newest listing when it resolves to <paramref name="expected"/> (the commit a job was enqueued for), else from a
    /// new listing: a job never deploys an older commit than a listing taken after it was enqueued would give.
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

        return await ResolveAsync(repoUrl, revision, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private Task<IReadOnlyList<GitRef>> ListingAsync(string repoUrl, DateTimeOffset notBefore, CancellationToken cancellationToken)
    {
        var key = Key(repoUrl);
        Listing listing;
        lock (_listings)
        {
            if (!_listings.TryGetValue(key, out listing!) || listing.TakenAt < notBefore || listing.Refs.IsFaulted || listing.Refs.IsCanceled)
            {
                // Shared by every caller, so no caller's token cancels it; the Git cache's own time limit bounds it.
                listing = new Listing(_time.GetUtcNow(), Task.Run(() => git.ListRefsAsync(repoUrl, CancellationToken.None), CancellationToken.None));
                _listings[key] = listing;
            }
        }

        return listing.Refs.WaitAsync(cancellationToken);
    }

    private static string Key(string repoUrl) => GitUrl.Normalize(GitUrl.WithoutCredentials(repoUrl));

    private sealed record Listing(DateTimeOffset TakenAt, Task<IReadOnlyList<GitRef>> Refs);
}
