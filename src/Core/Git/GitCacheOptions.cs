namespace Ferry.Core.Git;

/// <summary>Settings of the <see cref="GitRepositoryCache"/>.</summary>
public sealed record GitCacheOptions
{
    /// <summary>Folder holding the cache (e.g. <c>&lt;state&gt;/git</c>): bare repositories under <c>repos/</c>, trees under <c>trees/</c>.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Time limit of each remote operation (listing references, fetching a commit).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Extra Git configuration; <c>url.&lt;base&gt;.insteadOf</c> entries rewrite repository URLs as Git does (other keys are ignored).
    /// They come before the user's own Git configuration.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraConfig { get; init; } = [];

    /// <summary>Whether <c>url.&lt;base&gt;.insteadOf</c> rules are also read from the user's global and the system Git configuration.</summary>
    public bool UseUserGitConfig { get; init; } = true;

    /// <summary>Finds the credentials of a repository URL; null (or a null answer) means anonymous.</summary>
    public Func<string, GitCredentials?>? Credentials { get; init; }

    /// <summary>Upper bound of the cache's size on disk (bare repositories and trees); least recently used entries not in use are evicted beyond it.</summary>
    public long MaxCacheBytes { get; init; } = 1L << 30;

    /// <summary>Called after every remote operation (never with credentials); must be fast and thread-safe.</summary>
    public Action<GitCommandInfo>? OnCommand { get; init; }
}
