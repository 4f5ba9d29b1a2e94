using Ferry.Functions.Composition;

namespace Ferry.Functions.Tests.Composition;

public sealed class GitCredentialSettingsTests
{
    private const string Token = "ghp_example0123456789";
    private const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

    [Theory]
    [InlineData("https://github.com/acme/private.git", "token")]
    [InlineData("https://GitHub.com/acme/private", "token")]
    [InlineData("git@github.com:acme/private.git", "ssh")]
    [InlineData("ssh://git@github.com/acme/private.git", "ssh")]
    [InlineData("https://gitlab.com/acme/private.git", null)]
    [InlineData("https://github.com.evil.example/acme/x.git", null)]
    [InlineData("http://github.com/acme/private.git", null)]
    [InlineData("file:///srv/git/apps", null)]
    public void FromSettings_TokenAndKey_GoOnlyToTheConfiguredHostOverTheirTransport(string url, string? expected)
    {
        var lookup = GitCredentialSettings.FromSettings(Settings(new()
        {
            [AppSettingNames.GitToken] = Token,
            [AppSettingNames.GitSshPrivateKey] = Key,
        }))!;

        var credentials = lookup(url);

        Assert.Equal(expected, credentials is null ? null : credentials.SshPrivateKey is not null ? "ssh" : "token");
        if (expected == "token")
        {
            Assert.Equal((GitCredentialSettings.DefaultUserName, Token), (credentials!.UserName, credentials.Password));
        }
    }

    [Fact]
    public void FromSettings_NothingOrUnresolvedKeyVaultReferences_MeansAnonymous()
    {
        Assert.Null(GitCredentialSettings.FromSettings(Settings(new())));
        Assert.Null(GitCredentialSettings.FromSettings(Settings(new()
        {
            [AppSettingNames.GitToken] = "@Microsoft.KeyVault(SecretUri=https://kv-ferry.vault.azure.net/secrets/git-token)",
            [AppSettingNames.GitSshPrivateKey] = string.Empty,
        })));
    }

    [Fact]
    public void FromSettings_OtherHostAndUser_AreUsed()
    {
        var lookup = GitCredentialSettings.FromSettings(Settings(new()
        {
            [AppSettingNames.GitToken] = Token,
            [AppSettingNames.GitHost] = "git.example.com",
            [AppSettingNames.GitUserName] = "ferry-bot",
        }))!;

        Assert.Null(lookup("https://github.com/acme/private.git"));
        Assert.Equal("ferry-bot", lookup("https://git.example.com:8443/acme/private.git")!.UserName);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void FromSettings_SshPassphraseKnownHostsAndTheHostKeyOptOut_ReachTheKey(string? ignoreHostKey, bool expected)
    {
        var values = new Dictionary<string, string>
        {
            [AppSettingNames.GitSshPrivateKey] = Key,
            [AppSettingNames.GitSshPassphrase] = "correct horse",
            [AppSettingNames.GitSshKnownHosts] = "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        };
        if (ignoreHostKey is not null)
        {
            values[AppSettingNames.GitSshInsecureIgnoreHostKey] = ignoreHostKey;
        }

        var ssh = GitCredentialSettings.FromSettings(Settings(values))!("git@github.com:acme/private.git")!;

        Assert.Equal(("correct horse", values[AppSettingNames.GitSshKnownHosts], expected), (ssh.SshPassphrase, ssh.SshKnownHosts, ssh.SshInsecureIgnoreHostKey));
        Assert.DoesNotContain("correct horse", ssh.ToString(), StringComparison.Ordinal);
    }

    private static Func<string, string?> Settings(Dictionary<string, string> values) => name => values.GetValueOrDefault(name);
}
