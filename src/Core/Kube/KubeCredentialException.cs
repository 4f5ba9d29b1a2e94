namespace Ferry.Core.Kube;

/// <summary>Credentials for a cluster could not be obtained (an exec plugin failed, a token file is unreadable); never carries the secret.</summary>
public sealed class KubeCredentialException(string source, string reason, Exception? inner = null)
    : Exception($"{source}: {reason}", inner)
{
    /// <summary>What was asked for credentials (the exec command, the token file).</summary>
    public string CredentialSource { get; } = source;
}
