namespace Ferry.Core.Git.Ssh;

/// <summary>An SSH connection to a repository failed; the message names the host and the reason, never a key or a passphrase.</summary>
internal sealed class SshTransportException(string message) : Exception(message)
{
    /// <summary>How libgit2 reports this exception's message (LibGit2Sharp puts the type's name before it), to take the prefix off again.</summary>
    public static readonly string Prefix = typeof(SshTransportException).FullName + ": ";
}
