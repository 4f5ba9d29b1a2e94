namespace Ferry.Core.Git;

/// <summary>A Git operation failed; names the repository (without credentials), the operation and the revision, never a secret.</summary>
public sealed class GitException(string repoUrl, string command, string reason, Exception? inner = null, string? revision = null)
    : Exception($"git {command} {(revision is null ? string.Empty : $"of '{revision}' ")}failed for {repoUrl}: {reason}", inner)
{
    /// <summary>The repository URL, credentials removed.</summary>
    public string RepoUrl { get; } = repoUrl;

    /// <summary>The operation that failed (ls-remote, fetch, checkout …).</summary>
    public string Command { get; } = command;

    /// <summary>The revision asked for, when there was one.</summary>
    public string? Revision { get; } = revision;

    /// <summary>Why, credentials redacted.</summary>
    public string Reason { get; } = reason;

    /// <summary>The revision does not exist in the repository: retrying cannot help until Git or the Application changes.</summary>
    public bool RevisionNotFound { get; init; }
}
