using Ferry.Core.Git.Ssh;

namespace Ferry.Core.Tests.Git;

public sealed class SshEndpointTests
{
    [Theory]
    [InlineData("ssh://git@github.com/acme/shop.git", "git", "github.com", 22, "/acme/shop.git")]
    [InlineData("ssh://git@127.0.0.1:2222/srv/git/shop", "git", "127.0.0.1", 2222, "/srv/git/shop")]
    [InlineData("git+ssh://deploy@example.com/~deploy/shop.git", "deploy", "example.com", 22, "~deploy/shop.git")]
    [InlineData("git@github.com:acme/shop.git", "git", "github.com", 22, "acme/shop.git")]
    [InlineData("deploy@example.com:/srv/git/shop.git", "deploy", "example.com", 22, "/srv/git/shop.git")]
    [InlineData("ssh://git@[::1]:2222/shop", "git", "::1", 2222, "/shop")]
    public void Parse_UrlForms_AsGitReadsThem(string url, string user, string host, int port, string path) =>
        Assert.Equal(new SshEndpoint(user, host, port, path), SshEndpoint.Parse(url));

    [Theory]
    [InlineData("/srv/git/shop", "git-upload-pack '/srv/git/shop'")]
    [InlineData("it's here!", "git-upload-pack 'it'\\''s here'\\!''")]
    public void UploadPackCommand_PathQuotedForTheShell(string path, string expected) =>
        Assert.Equal(expected, new SshEndpoint("git", "h", 22, path).UploadPackCommand());

    [Fact]
    public void KnownHostsName_NonDefaultPortInBrackets() =>
        Assert.Equal(("github.com", "[127.0.0.1]:2222"), (new SshEndpoint("git", "github.com", 22, "x").KnownHostsName, new SshEndpoint("git", "127.0.0.1", 2222, "x").KnownHostsName));
}
