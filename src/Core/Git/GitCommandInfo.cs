namespace Ferry.Core.Git;

/// <summary>What one git command did, for telemetry: the command, the repository without credentials, the outcome and how long it took.</summary>
/// <param name="Command">The git subcommand, e.g. <c>ls-remote</c> or <c>fetch</c>.</param>
/// <param name="Repository">The repository URL as shown to people (no user, password or token).</param>
/// <param name="ExitCode">The exit code; null when git did not finish (timeout, cancellation, failure to start).</param>
/// <param name="Duration">Wall time of the command.</param>
public sealed record GitCommandInfo(string Command, string Repository, int? ExitCode, TimeSpan Duration)
{
    /// <summary>Whether git exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
