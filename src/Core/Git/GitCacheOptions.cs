namespace Ferry.Core.Git;

/// <summary>Settings of the <see cref="GitRepositoryCache"/>.</summary>
public sealed record GitCacheOptions
{
    /// <summary>Folder holding the cache (e.g. <c>&lt;state&gt;/git</c>): bare repositories under <c>repos/</c>, trees under <c>trees/</c>.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Time limit of each git command.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Extra git configuration for every command (e.g. <c>url.&lt;base&gt;.insteadOf</c>), passed through <c>GIT_CONFIG_*</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraConfig { get; init; } = [];

    /// <summary>Finds the credentials of a repository URL; null (or a null answer) means anonymous.</summary>
    public Func<string, GitCredentials?>? Credentials { get; init; }

    /// <summary>The git executable.</summary>
    public string GitExecutable { get; init; } = "git";

    /// <summary>Called after every git command (never with arguments, environment or output); must be fast and thread-safe.</summary>
    public Action<GitCommandInfo>? OnCommand { get; init; }
}
