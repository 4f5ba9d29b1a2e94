namespace Ferry.Core.Git;

/// <summary>How to authenticate to a repository: HTTPS user and password/token, or an SSH private key. Never printed.</summary>
public sealed record GitCredentials
{
    /// <summary>HTTPS user name (GitHub accepts any non-empty name with a token).</summary>
    public string? UserName { get; init; }

    /// <summary>HTTPS password or token.</summary>
    public string? Password { get; init; }

    /// <summary>SSH private key (PEM / OpenSSH text).</summary>
    public string? SshPrivateKey { get; init; }

    /// <summary>known_hosts lines for SSH; null uses the user's known_hosts.</summary>
    public string? SshKnownHosts { get; init; }

    /// <summary>Skip SSH host key checking (StrictHostKeyChecking=no); for tests and trusted networks only.</summary>
    public bool SshInsecureIgnoreHostKey { get; init; }

    /// <summary>HTTPS credentials with a user name and a password or token.</summary>
    public static GitCredentials Https(string userName, string password) => new() { UserName = userName, Password = password };

    /// <summary>SSH credentials with a private key and optionally the known hosts.</summary>
    public static GitCredentials Ssh(string privateKey, string? knownHosts = null) => new() { SshPrivateKey = privateKey, SshKnownHosts = knownHosts };

    /// <summary>Says which kind of credentials these are, never their values.</summary>
    public override string ToString() =>
        SshPrivateKey is not null ? "GitCredentials { SSH key (redacted) }" : $"GitCredentials {{ UserName = {UserName}, Password = *** }}";

    /// <summary>Every secret value, for redaction.</summary>
    internal IEnumerable<string> SecretValues()
    {
        if (!string.IsNullOrEmpty(Password))
        {
            yield return Password;
            yield return BasicAuthorization();
        }

        if (!string.IsNullOrEmpty(SshPrivateKey))
        {
            yield return SshPrivateKey;
        }
    }

    /// <summary>The HTTP Basic authorization parameter (base64 of user:password).</summary>
    internal string BasicAuthorization() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{(string.IsNullOrEmpty(UserName) ? "git" : UserName)}:{Password}"));
}
