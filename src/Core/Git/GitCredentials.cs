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

    /// <summary>The SSH private key's passphrase, when it is encrypted.</summary>
    public string? SshPassphrase { get; init; }

    /// <summary>
    /// The SSH host keys to trust: known_hosts lines, or <c>SHA256:&lt;base64&gt;</c> fingerprints (trusted for any host); null uses the
    /// user's <c>~/.ssh/known_hosts</c> and <c>/etc/ssh/ssh_known_hosts</c>. A host key found in none is refused.
    /// </summary>
    public string? SshKnownHosts { get; init; }

    /// <summary>Accept any SSH host key (no host key checking); for tests and trusted networks only.</summary>
    public bool SshInsecureIgnoreHostKey { get; init; }

    /// <summary>HTTPS credentials with a user name and a password or token.</summary>
    public static GitCredentials Https(string userName, string password) => new() { UserName = userName, Password = password };

    /// <summary>SSH credentials with a private key and optionally the known hosts.</summary>
    public static GitCredentials Ssh(string privateKey, string? knownHosts = null, string? passphrase = null) =>
        new() { SshPrivateKey = privateKey, SshKnownHosts = knownHosts, SshPassphrase = passphrase };

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
            foreach (var line in SshPrivateKey.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!line.StartsWith("-----", StringComparison.Ordinal) && line.Length >= 16)
                {
                    yield return line;
                }
            }
        }

        if (!string.IsNullOrEmpty(SshPassphrase))
        {
            yield return SshPassphrase;
        }
    }

    /// <summary>The HTTP Basic authorization parameter (base64 of user:password).</summary>
    internal string BasicAuthorization() =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{(string.IsNullOrEmpty(UserName) ? "git" : UserName)}:{Password}"));
}
