namespace Ferry.Core.Git.Ssh;

/// <summary>What one Git operation over SSH may use: the repository's credentials, the connect timeout and the operation's cancellation.</summary>
internal sealed record SshOperation(GitCredentials? Credentials, TimeSpan ConnectTimeout, CancellationToken CancellationToken);
