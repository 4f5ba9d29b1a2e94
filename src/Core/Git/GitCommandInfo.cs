namespace Ferry.Core.Git;

/// <summary>What one remote Git operation did, for telemetry: the operation, the repository without credentials, the outcome and how long it took.</summary>
/// <param name="Command">The operation in Git's words: <c>ls-remote</c> or <c>fetch</c>.</param>
/// <param name="Repository">The repository URL as shown to people (no user, password or token).</param>
/// <param name="ExitCode">0 on success, libgit2's (negative) error code on failure; null when the operation did not finish (timeout, cancellation).</param>
/// <param name="Duration">Wall time of the operation.</param>
public sealed record GitCommandInfo(string Command, string Repository, int? ExitCode, TimeSpan Duration)
{
    /// <summary>Whether the operation succeeded.</summary>
    public bool Succeeded => ExitCode == 0;
}
