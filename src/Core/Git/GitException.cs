namespace Ferry.Core.Git;

/// <summary>A git operation failed; names the repository (without credentials) and the git command, never a secret.</summary>
public sealed class GitException(string repoUrl, string command, string reason, Exception? inner = null)
    : Exception($"git {command} failed for {repoUrl}: {reason}", inner)
{
    /// <summary>The repository URL, credentials removed.</summary>
    public string RepoUrl { get; } = repoUrl;

    /// <summary>The git sub-command that failed (ls-remote, fetch, checkout …).</summary>
    public string Command { get; } = command;

    /// <summary>Why, including git's redacted error output.</summary>
    public string Reason { get; } = reason;

    /// <summary>The revision does not exist in the repository: retrying cannot help until Git or the Application changes.</summary>
    public bool RevisionNotFound { get; init; }
}
