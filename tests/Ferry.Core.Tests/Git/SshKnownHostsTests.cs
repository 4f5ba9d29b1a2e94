using System.Security.Cryptography;
using System.Text;
using Ferry.Core.Git.Ssh;

namespace Ferry.Core.Tests.Git;

public sealed class SshKnownHostsTests
{
    // Any bytes serve as a key blob: trust compares SHA-256 fingerprints of the blobs.
    private static readonly string Key = Convert.ToBase64String(Encoding.ASCII.GetBytes("ssh-ed25519 host key one"));
    private static readonly string Other = Convert.ToBase64String(Encoding.ASCII.GetBytes("ssh-ed25519 host key two"));

    [Theory]
    [InlineData("github.com", "github.com", true)]
    [InlineData("gitlab.com,github.com", "github.com", true)]
    [InlineData("*.example.com", "git.example.com", true)]
    [InlineData("*.example.com,!evil.example.com", "evil.example.com", false)]
    [InlineData("[127.0.0.1]:2222", "[127.0.0.1]:2222", true)]
    [InlineData("127.0.0.1", "[127.0.0.1]:2222", false)]
    [InlineData("github.com", "gitlab.com", false)]
    public void Trusts_HostPatterns(string patterns, string host, bool expected) =>
        Assert.Equal(expected, SshKnownHosts.Parse($"{patterns} ssh-ed25519 {Key} comment").Trusts(host, Fingerprint(Key)));

    [Fact]
    public void Trusts_OnlyTheListedKey() =>
        Assert.False(SshKnownHosts.Parse($"github.com ssh-ed25519 {Key}").Trusts("github.com", Fingerprint(Other)));

    [Fact]
    public void Trusts_HashedHostName()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("github.com"));
        var known = SshKnownHosts.Parse($"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)} ssh-ed25519 {Key}");

        Assert.Equal((true, false), (known.Trusts("github.com", Fingerprint(Key)), known.Trusts("gitlab.com", Fingerprint(Key))));
    }

    [Fact]
    public void Trusts_FingerprintLineForAnyHost_ButNeverARevokedKey()
    {
        var known = SshKnownHosts.Parse($"# pinned\nSHA256:{Fingerprint(Key)}\n@revoked * ssh-ed25519 {Other}\nSHA256:{Fingerprint(Other)}\n");

        Assert.Equal((true, false), (known.Trusts("anywhere", Fingerprint(Key)), known.Trusts("anywhere", Fingerprint(Other))));
    }

    private static string Fingerprint(string base64) => Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(base64))).TrimEnd('=');
}
