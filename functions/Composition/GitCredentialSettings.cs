using Ferry.Core.Git;

namespace Ferry.Functions.Composition;

/// <summary>Git credentials from app settings (<c>FERRY_GIT_*</c>), given only to repositories on the configured host.</summary>
public static class GitCredentialSettings
{
    /// <summary>The host credentials go to when <c>FERRY_GIT_HOST</c> is unset.</summary>
    public const string DefaultHost = "github.com";

    /// <summary>The user name sent with a token when <c>FERRY_GIT_USERNAME</c> is unset (GitHub accepts any name with a token).</summary>
    public const string DefaultUserName = "x-access-token";

    private const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(";

    /// <summary>A lookup for <see cref="GitCacheOptions.Credentials"/>; null when no credentials are configured.</summary>
    public static Func<string, GitCredentials?>? FromSettings(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var host = Value(get, AppSettingNames.GitHost) ?? DefaultHost;
        var token = Value(get, AppSettingNames.GitToken);
        var sshKey = Value(get, AppSettingNames.GitSshPrivateKey);
        if (token is null && sshKey is null)
        {
            return null;
        }

        var https = token is null ? null : GitCredentials.Https(Value(get, AppSettingNames.GitUserName) ?? DefaultUserName, token);
        var ssh = sshKey is null ? null : GitCredentials.Ssh(sshKey, Value(get, AppSettingNames.GitSshKnownHosts), Value(get, AppSettingNames.GitSshPassphrase)) with
        {
            SshInsecureIgnoreHostKey = string.Equals(Value(get, AppSettingNames.GitSshInsecureIgnoreHostKey), "true", StringComparison.OrdinalIgnoreCase),
        };
        return url =>
        {
            var (scheme, urlHost) = SchemeAndHost(url);
            if (!string.Equals(urlHost, host, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return scheme is "https" ? https : scheme is "ssh" ? ssh : null;
        };
    }

    // An empty value means unset; so does a Key Vault reference the platform could not resolve (it passes the reference text through).
    private static string? Value(Func<string, string?> get, string name) =>
        get(name) is { Length: > 0 } value && !value.StartsWith(UnresolvedKeyVaultReference, StringComparison.OrdinalIgnoreCase) ? value : null;

    private static (string Scheme, string Host) SchemeAndHost(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && !uri.IsFile)
        {
            return (uri.Scheme is "ssh" or "git+ssh" ? "ssh" : uri.Scheme, uri.Host);
        }

        // scp-like: [user@]host:path
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !url.Contains("://", StringComparison.Ordinal))
        {
            var authority = url[..colon];
            var at = authority.LastIndexOf('@');
            return ("ssh", at < 0 ? authority : authority[(at + 1)..]);
        }

        return (string.Empty, string.Empty);
    }
}
