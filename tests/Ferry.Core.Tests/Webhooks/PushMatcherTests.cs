using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Webhooks;

public class PushMatcherTests
{
    private const string Repo = "https://github.com/octo-org/shop.git";

    [Theory]
    // Repository
    [InlineData("repo-html-url", "push-main.json", "https://github.com/Octo-Org/Shop", "HEAD", "apps/web", null, true)]
    [InlineData("repo-scp-like", "push-main.json", "git@github.com:octo-org/shop.git", "main", "apps/web", null, true)]
    [InlineData("repo-ssh-url", "push-main.json", "ssh://git@github.com/Octo-Org/Shop", "main", "apps/web", null, true)]
    [InlineData("repo-other", "push-main.json", "https://github.com/octo-org/shop-infra", "main", "apps/web", null, false)]
    [InlineData("repo-other-host", "push-main.json", "https://gitlab.com/octo-org/shop", "main", "apps/web", null, false)]
    // Revision
    [InlineData("head-default-branch", "push-main.json", Repo, "HEAD", "apps/web", null, true)]
    [InlineData("empty-default-branch", "push-main.json", Repo, "", "apps/web", null, true)]
    [InlineData("null-default-branch", "push-main.json", Repo, null, "apps/web", null, true)]
    [InlineData("branch-name", "push-main.json", Repo, "main", "apps/web", null, true)]
    [InlineData("other-branch", "push-main.json", Repo, "release", "apps/web", null, false)]
    [InlineData("full-branch-ref", "push-main.json", Repo, "refs/heads/main", "apps/web", null, true)]
    [InlineData("full-tag-ref-vs-branch", "push-main.json", Repo, "refs/tags/main", "apps/web", null, false)]
    [InlineData("commit-sha", "push-main.json", Repo, "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "apps/web", null, false)]
    [InlineData("tag-name", "push-tag.json", Repo, "v1.4.0", "apps/web", null, true)]
    [InlineData("full-tag-ref", "push-tag.json", Repo, "refs/tags/v1.4.0", "apps/web", null, true)]
    [InlineData("other-tag", "push-tag.json", Repo, "v1.3.0", "apps/web", null, false)]
    [InlineData("head-vs-tag", "push-tag.json", Repo, "HEAD", "apps/web", null, false)]
    [InlineData("deleted-branch", "push-delete.json", Repo, "feature/old-ui", "apps/web", null, false)]
    // Paths (push-main changes README.md, apps/cron/cronjob.yaml, apps/web/deployment.yaml, apps/worker/*)
    [InlineData("paths-dot-is-app-path", "push-main.json", Repo, "main", "apps/web", ".", true)]
    [InlineData("paths-dot-untouched-app", "push-main.json", Repo, "main", "apps/billing", ".", false)]
    [InlineData("paths-relative", "push-main.json", Repo, "main", "apps/billing", "../worker", true)]
    [InlineData("paths-absolute", "push-main.json", Repo, "main", "apps/billing", "/apps/cron", true)]
    [InlineData("paths-absolute-untouched", "push-main.json", Repo, "main", "apps/billing", "/charts/billing", false)]
    [InlineData("paths-several-one-hits", "push-main.json", Repo, "main", "apps/billing", ".; /charts ;/README.md", true)]
    [InlineData("paths-exact-file", "push-main.json", Repo, "main", "apps/web", "deployment.yaml", true)]
    [InlineData("paths-prefix-is-not-folder", "push-main.json", Repo, "main", "apps", "/apps/we", false)]
    [InlineData("paths-glob-file", "push-main.json", Repo, "main", "apps/billing", "/apps/*/kustomization.yaml", true)]
    [InlineData("paths-glob-folder", "push-main.json", Repo, "main", "apps/billing", "/apps/w?b", true)]
    [InlineData("paths-glob-class", "push-main.json", Repo, "main", "apps/billing", "/apps/[a-c]*", true)]
    [InlineData("paths-glob-miss", "push-main.json", Repo, "main", "apps/billing", "/apps/*.json", false)]
    [InlineData("paths-empty-annotation", "push-main.json", Repo, "main", "apps/billing", "", true)]
    [InlineData("paths-only-separators", "push-main.json", Repo, "main", "apps/billing", " ; ", true)]
    [InlineData("paths-no-changed-files", "push-tag.json", Repo, "v1.4.0", "apps/billing", ".", true)]
    [InlineData("paths-root-app", "push-main.json", Repo, "main", "", ".", true)]
    [InlineData("no-annotation-app-path-touched", "push-main.json", Repo, "main", "apps/web", null, true)]
    [InlineData("no-annotation-app-path-untouched", "push-main.json", Repo, "main", "apps/billing", null, false)]
    [InlineData("no-annotation-root-app", "push-main.json", Repo, "main", "", null, true)]
    [InlineData("no-annotation-no-changed-files", "push-tag.json", Repo, "v1.4.0", "apps/billing", null, true)]
    public void Match_Rules_AsArgo(string row, string payload, string repoUrl, string? targetRevision, string path, string? annotation, bool expected)
    {
        var match = PushMatcher.Match(WebhookTestData.Push(payload), repoUrl, targetRevision, path, annotation);

        Assert.True(expected == match.IsMatch, $"{row}: {match.Reason}");
        Assert.False(string.IsNullOrWhiteSpace(match.Reason));
    }

    [Theory]
    [InlineData("repository", "https://github.com/octo-org/other", "main", null, "the push is for github.com/octo-org/shop, the app follows github.com/octo-org/other")]
    [InlineData("branch", Repo, "release", null, "the app follows release, the push is to refs/heads/main")]
    [InlineData("commit", Repo, "6113728f27ae82c7b1a177c8d03f9e96e0adf246", null, "the app is pinned to commit 6113728f27ae82c7b1a177c8d03f9e96e0adf246; a push never moves it")]
    [InlineData("paths", Repo, "main", "/charts;.", "none of the 5 changed files is under /charts;/apps/billing (argocd.argoproj.io/manifest-generate-paths)")]
    [InlineData("app-path", Repo, "main", null, "none of the 5 changed files is under /apps/billing (the app's path)")]
    public void Match_NotMatched_SaysWhy(string row, string repoUrl, string targetRevision, string? annotation, string reason)
    {
        var match = PushMatcher.Match(WebhookTestData.Push("push-main.json"), repoUrl, targetRevision, "apps/billing", annotation);

        Assert.True(PushMatch.NotMatched(reason) == match, $"{row}: {match}");
    }

    [Fact]
    public void Match_NoAnnotationAndAHelmValueFileOutsideThePathChanged_Matches()
    {
        var match = PushMatcher.Match(WebhookTestData.Push("push-main.json"), Repo, "main", "apps/billing", null, ["values.yaml", "../worker/kustomization.yaml"]);

        Assert.True(match.IsMatch, match.Reason);
        Assert.Equal("apps/worker/kustomization.yaml changed under /apps/worker/kustomization.yaml", match.Reason);
    }

    [Fact]
    public void Match_PushThatMayBeTruncated_MatchesWhateverItLists()
    {
        var push = WebhookTestData.Push("push-main.json") with { ChangedFilesComplete = false };

        var match = PushMatcher.Match(push, Repo, "main", "apps/billing", null);

        Assert.True(match.IsMatch, match.Reason);
    }

    [Fact]
    public void Match_HeadWhenDefaultBranchIsAnother_NotMatched()
    {
        var push = WebhookTestData.Push("push-main.json");
        push = push with { Repository = push.Repository with { DefaultBranch = "trunk" } };

        var match = PushMatcher.Match(push, Repo, "HEAD", "apps/web", null);

        Assert.Equal(PushMatch.NotMatched("the app follows the default branch (trunk), the push is to refs/heads/main"), match);
    }

    [Fact]
    public void Match_CredentialsInAppRepoUrl_NeverInReason()
    {
        var match = PushMatcher.Match(WebhookTestData.Push("push-main.json"), "https://user:hunter2@github.com/octo-org/other.git", "main", ".", null);

        Assert.False(match.IsMatch);
        Assert.DoesNotContain("hunter2", match.Reason, StringComparison.Ordinal);
    }
}
