using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Webhooks;

public class WebhookRepoUrlTests
{
    [Theory]
    [InlineData("https", "https://github.com/org/repo")]
    [InlineData("https-git-suffix", "https://github.com/org/repo.git")]
    [InlineData("https-trailing-slash", "https://github.com/org/repo/")]
    [InlineData("https-git-and-slash", "https://github.com/org/repo.git/")]
    [InlineData("http", "http://github.com/org/repo")]
    [InlineData("mixed-case", "HTTPS://GitHub.com/Org/Repo.GIT")]
    [InlineData("credentials", "https://x-access-token:ghs_secret@github.com/org/repo.git")]
    [InlineData("port", "https://github.com:443/org/repo")]
    [InlineData("query", "https://github.com/org/repo?tab=readme")]
    [InlineData("ssh", "ssh://git@github.com/org/repo.git")]
    [InlineData("ssh-port", "ssh://git@ssh.github.com:443/org/repo.git")]
    [InlineData("scp-like", "git@github.com:Org/Repo.git")]
    [InlineData("scp-like-no-user", "github.com:org/repo")]
    [InlineData("git-protocol", "git://github.com/org/repo.git")]
    [InlineData("whitespace", "  https://github.com/org/repo  ")]
    public void Normalize_Spellings_OneForm(string row, string url)
    {
        Assert.True(WebhookRepoUrl.Normalize(url) == "github.com/org/repo", $"{row}: {WebhookRepoUrl.Normalize(url)}");
    }

    [Theory]
    [InlineData("other-repo", "https://github.com/org/repo", "https://github.com/org/repo2")]
    [InlineData("other-org", "https://github.com/org/repo", "git@github.com:other/repo.git")]
    [InlineData("other-host", "https://github.com/org/repo", "https://gitlab.com/org/repo")]
    [InlineData("subgroup", "https://gitlab.com/group/sub/repo", "https://gitlab.com/group/repo")]
    public void AreSame_DifferentRepositories_False(string row, string left, string right)
    {
        Assert.False(WebhookRepoUrl.AreSame(left, right), row);
    }

    [Fact]
    public void AreSame_ScpLikeAndHttps_True()
    {
        Assert.True(WebhookRepoUrl.AreSame("git@github.com:Org/Repo.git", "https://github.com/org/repo"));
    }

    [Fact]
    public void Normalize_Credentials_NeverKept()
    {
        Assert.DoesNotContain("secret", WebhookRepoUrl.Normalize("https://user:secret@github.com/org/repo"), StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_LocalPath_TrimmedAndLowered()
    {
        Assert.Equal("/srv/git/repo", WebhookRepoUrl.Normalize("/srv/git/Repo/"));
        Assert.Equal("c:\\git\\repo", WebhookRepoUrl.Normalize("C:\\git\\Repo"));
    }
}
