using Ferry.Core.Git;

namespace Ferry.Core.Tests.Git;

public sealed class GitUrlTests
{
    [Theory]
    [InlineData("https", "https://github.com/Argoproj/Argocd-Example-Apps.git")]
    [InlineData("https trailing slash", "https://github.com/argoproj/argocd-example-apps/")]
    [InlineData("https with user", "https://user@GitHub.com/argoproj/argocd-example-apps")]
    [InlineData("https default port", "https://github.com:443/argoproj/argocd-example-apps.git")]
    [InlineData("scp-like", "git@github.com:argoproj/argocd-example-apps.git")]
    [InlineData("scp-like no user", "github.com:argoproj/argocd-example-apps")]
    [InlineData("ssh", "ssh://git@github.com/argoproj/argocd-example-apps.git")]
    [InlineData("ssh default port", "ssh://git@github.com:22/argoproj/argocd-example-apps")]
    [InlineData("spaces", "  https://github.com/argoproj/argocd-example-apps  ")]
    public void Normalize_FormsOfOneRepository_GiveOneCanonicalForm(string name, string url)
    {
        Assert.Equal("github.com/argoproj/argocd-example-apps", GitUrl.Normalize(url));
    }

    [Theory]
    [InlineData("non-default port kept", "ssh://git@git.example.com:2222/team/repo.git", "git.example.com:2222/team/repo")]
    [InlineData("file url keeps case", "file:///tmp/Repos/App/", "file:///tmp/Repos/App")]
    [InlineData("absolute path", "/tmp/Repos/App", "file:///tmp/Repos/App")]
    [InlineData("nested path", "https://dev.azure.com/Org/Project/_git/Repo", "dev.azure.com/org/project/_git/repo")]
    public void Normalize_OtherForms_Expected(string name, string url, string expected)
    {
        Assert.Equal(expected, GitUrl.Normalize(url));
    }

    [Fact]
    public void Same_DifferentRepositories_False()
    {
        Assert.False(GitUrl.Same("https://github.com/a/one", "https://github.com/a/two"));
        Assert.True(GitUrl.Same("git@github.com:a/one.git", "https://github.com/A/One"));
    }

    [Fact]
    public void Split_UrlWithToken_SeparatesCredentials()
    {
        var (url, user, password) = GitUrl.Split("https://bot:ghp_secret@github.com/org/repo.git");

        Assert.Equal("https://github.com/org/repo.git", url);
        Assert.Equal("bot", user);
        Assert.Equal("ghp_secret", password);
        Assert.Equal("https://github.com/org/repo.git", GitUrl.WithoutCredentials("https://bot:ghp_secret@github.com/org/repo.git"));
    }

    [Fact]
    public void Split_SshUser_IsKeptNotTreatedAsSecret()
    {
        Assert.Equal("ssh://git@github.com/org/repo.git", GitUrl.WithoutCredentials("ssh://git@github.com/org/repo.git"));
        Assert.Equal("git@github.com:org/repo.git", GitUrl.WithoutCredentials("git@github.com:org/repo.git"));
    }
}
