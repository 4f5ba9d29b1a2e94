using Ferry.Core.Git;
using System.Runtime.Versioning;
using Ferry.Core.Processes;

namespace Ferry.Core.Tests.Git;

[UnsupportedOSPlatform("windows")]
public sealed class GitRepositoryCacheTests : IDisposable
{
    private readonly TestGitRepository repo = TestGitRepository.Create(new Dictionary<string, string>
    {
        ["apps/guestbook/deployment.yaml"] = "kind: Deployment\n",
        ["README.md"] = "hello\n",
    });

    public void Dispose() => repo.Dispose();

    private GitRepositoryCache NewCache(GitCacheOptions? options = null) =>
        new(options ?? new GitCacheOptions { RootDirectory = repo.CacheRoot }, new ProcessRunner());

    [Theory]
    [InlineData("HEAD")]
    [InlineData("")]
    [InlineData("main")]
    [InlineData("refs/heads/main")]
    [InlineData("light")]
    [InlineData("annotated")]
    [InlineData("refs/tags/annotated")]
    public async Task ResolveAsync_RevisionForms_GiveTheCommitSha(string revision)
    {
        var head = repo.Head();
        repo.Git("tag", "light");
        repo.Git("-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "annotated", "-m", "release");

        var sha = await NewCache().ResolveAsync(repo.Url, revision, CancellationToken.None);

        Assert.Equal(head, sha);
    }

    [Fact]
    public async Task ResolveAsync_BranchAndOlderTag_PointAtTheirOwnCommits()
    {
        var first = repo.Head();
        repo.Git("-c", "user.name=T", "-c", "user.email=t@example.com", "tag", "-a", "v1", "-m", "v1");
        repo.Git("branch", "feature");
        var second = repo.Commit(new Dictionary<string, string> { ["README.md"] = "two\n" }, "second");

        var cache = NewCache();

        Assert.Equal(first, await cache.ResolveAsync(repo.Url, "v1", CancellationToken.None));
        Assert.Equal(first, await cache.ResolveAsync(repo.Url, "feature", CancellationToken.None));
        Assert.Equal(second, await cache.ResolveAsync(repo.Url, "main", CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_FullSha_ReturnedAsIsWithoutContactingTheRemote()
    {
        const string sha = "0123456789abcdef0123456789abcdef01234567";

        Assert.Equal(sha, await NewCache().ResolveAsync("file:///nonexistent/repo", sha.ToUpperInvariant(), CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_ShortShaOfOlderCommit_FetchesAndGivesFullSha()
    {
        var first = repo.Head();
        repo.Commit(new Dictionary<string, string> { ["README.md"] = "two\n" }, "second");
        var cache = NewCache();
        // A shallow fetch first: resolving the short SHA must deepen the cached repository.
        await cache.FetchAsync(repo.Url, repo.Head(), CancellationToken.None);

        var sha = await cache.ResolveAsync(repo.Url, first[..8], CancellationToken.None);

        Assert.Equal(first, sha);
    }

    [Fact]
    public async Task ResolveAsync_NewCommit_ResolvesToTheNewSha()
    {
        var cache = NewCache();
        var before = await cache.ResolveAsync(repo.Url, "main", CancellationToken.None);

        var after = repo.Commit(new Dictionary<string, string> { ["apps/guestbook/deployment.yaml"] = "kind: Deployment # v2\n" }, "change");

        Assert.NotEqual(before, after);
        Assert.Equal(after, await cache.ResolveAsync(repo.Url, "main", CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_UnknownBranch_ThrowsNamingTheRevision()
    {
        var ex = await Assert.ThrowsAsync<GitException>(() => NewCache().ResolveAsync(repo.Url, "no-such-branch", CancellationToken.None));

        Assert.Contains("'no-such-branch' not found", ex.Message, StringComparison.Ordinal);
        Assert.Equal(repo.Url, ex.RepoUrl);
    }

    [Fact]
    public async Task ResolveAsync_UnknownShortSha_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<GitException>(() => NewCache().ResolveAsync(repo.Url, "deadbeef", CancellationToken.None));

        Assert.Contains("'deadbeef' not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_MissingRepository_ThrowsLsRemoteError()
    {
        var url = new Uri(Path.Combine(repo.Root, "missing")).AbsoluteUri;

        var ex = await Assert.ThrowsAsync<GitException>(() => NewCache().ResolveAsync(url, "main", CancellationToken.None));

        Assert.Equal("ls-remote", ex.Command);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        Assert.Contains("exit code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckoutAsync_Commit_GivesReadOnlyTreeAtThatCommit()
    {
        var first = repo.Head();
        repo.Commit(new Dictionary<string, string> { ["apps/guestbook/deployment.yaml"] = "kind: Deployment # v2\n" }, "change");
        var cache = NewCache();

        var tree = await cache.CheckoutAsync(repo.Url, first, CancellationToken.None);

        Assert.Equal(Path.Combine(cache.RootDirectory, "trees", Path.GetFileName(cache.RepositoryDirectory(repo.Url)), first), tree);
        Assert.Equal("kind: Deployment\n", File.ReadAllText(Path.Combine(tree, "apps", "guestbook", "deployment.yaml")));
        Assert.False(Directory.Exists(Path.Combine(tree, ".git")));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(tree, "README.md")) & UnixFileMode.UserWrite);
        Assert.True(File.Exists(Path.Combine(cache.RepositoryDirectory(repo.Url), "shallow")));
    }

    [Fact]
    public async Task CheckoutAsync_Twice_ReusesTheTree()
    {
        var cache = NewCache();
        var sha = repo.Head();
        var tree = await cache.CheckoutAsync(repo.Url, sha, CancellationToken.None);
        var marker = File.GetLastWriteTimeUtc(Path.Combine(tree, "README.md"));

        var again = await NewCache().CheckoutAsync(repo.Url, sha, CancellationToken.None);

        Assert.Equal(tree, again);
        Assert.Equal(marker, File.GetLastWriteTimeUtc(Path.Combine(again, "README.md")));
    }

    [Fact]
    public async Task CheckoutAsync_ConcurrentCallsForOneRepository_AllSucceedWithTheRightTrees()
    {
        var first = repo.Head();
        var second = repo.Commit(new Dictionary<string, string> { ["README.md"] = "second\n" }, "second");
        var cache = NewCache();

        var tasks = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => cache.CheckoutAsync(repo.Url, i % 2 == 0 ? first : second, CancellationToken.None)))
            .ToArray();
        var trees = await Task.WhenAll(tasks);

        Assert.All(trees.Where((_, i) => i % 2 == 0), t => Assert.Equal("hello\n", File.ReadAllText(Path.Combine(t, "README.md"))));
        Assert.All(trees.Where((_, i) => i % 2 == 1), t => Assert.Equal("second\n", File.ReadAllText(Path.Combine(t, "README.md"))));
        Assert.Equal(2, trees.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache.RootDirectory, "trees"), ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CheckoutAsync_AbbreviatedSha_Refused()
    {
        var ex = await Assert.ThrowsAsync<GitException>(() => NewCache().CheckoutAsync(repo.Url, repo.Head()[..7], CancellationToken.None));

        Assert.Contains("not a full commit SHA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckoutAsync_ShaOfAnotherRepository_NotServedFromItsTree()
    {
        using var other = TestGitRepository.Create(new Dictionary<string, string> { ["other.txt"] = "other\n" });
        var cache = NewCache();
        await cache.CheckoutAsync(repo.Url, repo.Head(), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<GitException>(() => cache.CheckoutAsync(other.Url, repo.Head(), CancellationToken.None));

        Assert.Equal("fetch", ex.Command);
    }

    [Fact]
    public async Task FetchAsync_UnknownCommit_ThrowsFetchError()
    {
        var ex = await Assert.ThrowsAsync<GitException>(
            () => NewCache().FetchAsync(repo.Url, "0123456789abcdef0123456789abcdef01234567", CancellationToken.None));

        Assert.Equal("fetch", ex.Command);
    }

    [Fact]
    public async Task ExtraConfig_InsteadOf_ServesLocalRepositoryUnderGitHubUrl()
    {
        const string githubUrl = "https://github.com/example/guestbook.git";
        var cache = NewCache(new GitCacheOptions
        {
            RootDirectory = repo.CacheRoot,
            ExtraConfig = [new($"url.{repo.Url}.insteadOf", githubUrl)],
        });

        var sha = await cache.ResolveAsync(githubUrl, "main", CancellationToken.None);
        var tree = await cache.CheckoutAsync(githubUrl, sha, CancellationToken.None);

        Assert.Equal(repo.Head(), sha);
        Assert.True(File.Exists(Path.Combine(tree, "apps", "guestbook", "deployment.yaml")));
    }

    [Fact]
    public async Task Errors_TokenInUrlOrCredentials_NeverInMessage()
    {
        const string token = "ghp_SuperSecretToken123";
        var cache = NewCache(new GitCacheOptions
        {
            RootDirectory = repo.CacheRoot,
            CommandTimeout = TimeSpan.FromSeconds(30),
            Credentials = _ => GitCredentials.Https("bot", token),
        });

        var fromCredentials = await Assert.ThrowsAsync<GitException>(() => cache.ResolveAsync("https://127.0.0.1:1/org/repo.git", "main", CancellationToken.None));
        var fromUrl = await Assert.ThrowsAsync<GitException>(() => NewCache().ResolveAsync($"https://bot:{token}@127.0.0.1:1/org/repo.git", "main", CancellationToken.None));

        foreach (var ex in new[] { fromCredentials, fromUrl })
        {
            Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
            Assert.Equal("https://127.0.0.1:1/org/repo.git", ex.RepoUrl);
        }

        Assert.DoesNotContain(token, GitCredentials.Https("bot", token).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnCommand_SuccessAndFailure_ReportCommandRepositoryAndExitCodeWithoutCredentials()
    {
        const string token = "ghp_SuperSecretToken123";
        var seen = new List<GitCommandInfo>();
        var cache = NewCache(new GitCacheOptions
        {
            RootDirectory = repo.CacheRoot,
            CommandTimeout = TimeSpan.FromSeconds(30),
            OnCommand = info =>
            {
                lock (seen)
                {
                    seen.Add(info);
                }
            },
        });

        await cache.ResolveAsync(repo.Url, "main", CancellationToken.None);
        await Assert.ThrowsAsync<GitException>(() => cache.ResolveAsync($"https://bot:{token}@127.0.0.1:1/org/repo.git", "main", CancellationToken.None));

        Assert.Equal(2, seen.Count);
        Assert.Equal(("ls-remote", repo.Url, true), (seen[0].Command, seen[0].Repository, seen[0].Succeeded));
        Assert.Equal(("ls-remote", "https://127.0.0.1:1/org/repo.git", false), (seen[1].Command, seen[1].Repository, seen[1].Succeeded));
        Assert.NotEqual(0, seen[1].ExitCode);
        Assert.DoesNotContain(token, string.Join('\n', seen), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_PassedThroughEnvironment_NotArguments()
    {
        const string token = "ghp_SuperSecretToken123";
        var record = Path.Combine(repo.Root, "record.txt");
        var fakeGit = Path.Combine(repo.Root, "fake-git");
        File.WriteAllText(fakeGit, $"#!/bin/sh\n{{ echo \"ARGS $*\"; env | grep -E '^GIT_(CONFIG|TERMINAL)' | sort; }} > '{record}'\necho 'fatal: denied' >&2\nexit 128\n");
        File.SetUnixFileMode(fakeGit, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cache = NewCache(new GitCacheOptions
        {
            RootDirectory = repo.CacheRoot,
            GitExecutable = fakeGit,
            Credentials = _ => GitCredentials.Https("bot", token),
        });

        await Assert.ThrowsAsync<GitException>(() => cache.ResolveAsync("https://github.com/org/repo", "main", CancellationToken.None));

        var recorded = File.ReadAllText(record);
        var args = recorded.Split('\n')[0];
        Assert.Equal("ARGS ls-remote https://github.com/org/repo", args);
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"bot:{token}"));
        Assert.Contains($"GIT_CONFIG_VALUE_0=Authorization: Basic {basic}", recorded, StringComparison.Ordinal);
        Assert.Contains("GIT_CONFIG_KEY_0=http.extraHeader", recorded, StringComparison.Ordinal);
        Assert.Contains("GIT_TERMINAL_PROMPT=0", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_SshKey_GoesToGitSshCommandKeyFileThatIsRemovedAfterwards()
    {
        var record = Path.Combine(repo.Root, "record.txt");
        var fakeGit = Path.Combine(repo.Root, "fake-git");
        File.WriteAllText(fakeGit, $"#!/bin/sh\nprintf '%s\\n' \"$GIT_SSH_COMMAND\" > '{record}'\nkey=$(echo \"$GIT_SSH_COMMAND\" | sed \"s/.*-i '\\([^']*\\)'.*/\\1/\")\ncat \"$key\" >> '{record}'\nexit 0\n");
        File.SetUnixFileMode(fakeGit, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cache = NewCache(new GitCacheOptions
        {
            RootDirectory = repo.CacheRoot,
            GitExecutable = fakeGit,
            Credentials = _ => GitCredentials.Ssh("-----BEGIN KEY-----\nsecret\n-----END KEY-----") with { SshInsecureIgnoreHostKey = true },
        });

        await cache.ListRefsAsync("git@github.com:org/repo.git", CancellationToken.None);

        var recorded = File.ReadAllLines(record);
        Assert.Contains("-o IdentitiesOnly=yes", recorded[0], StringComparison.Ordinal);
        Assert.Contains("StrictHostKeyChecking=no", recorded[0], StringComparison.Ordinal);
        Assert.Equal("secret", recorded[2]);
        Assert.Empty(Directory.GetFiles(Path.Combine(cache.RootDirectory, "tmp")));
    }
}
