using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Ferry.Core.Git;

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
        new(options ?? new GitCacheOptions { RootDirectory = repo.CacheRoot }, _ => null);

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
        Assert.Contains("'main'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckoutAsync_Commit_GivesReadOnlyTreeAtThatCommit()
    {
        var first = repo.Head();
        repo.Commit(new Dictionary<string, string> { ["apps/guestbook/deployment.yaml"] = "kind: Deployment # v2\n" }, "change");
        var cache = NewCache();

        using var checkout = await cache.CheckoutAsync(repo.Url, first, CancellationToken.None);
        var tree = checkout.Path;

        Assert.Equal(Path.Combine(cache.RootDirectory, "trees", Path.GetFileName(cache.RepositoryDirectory(repo.Url)), first), tree);
        Assert.Equal("kind: Deployment\n", File.ReadAllText(Path.Combine(tree, "apps", "guestbook", "deployment.yaml")));
        Assert.False(Directory.Exists(Path.Combine(tree, ".git")));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(tree, "README.md")) & UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task CheckoutAsync_Twice_ReusesTheTree()
    {
        var cache = NewCache();
        var sha = repo.Head();
        var tree = (await cache.CheckoutAsync(repo.Url, sha, CancellationToken.None)).Path;
        var marker = File.GetLastWriteTimeUtc(Path.Combine(tree, "README.md"));

        var again = (await NewCache().CheckoutAsync(repo.Url, sha, CancellationToken.None)).Path;

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
            .Select(i => Task.Run(async () => (await cache.CheckoutAsync(repo.Url, i % 2 == 0 ? first : second, CancellationToken.None)).Path))
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
        Assert.Equal(repo.Head(), ex.Revision);
        Assert.Contains(other.Url, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_UnknownCommit_ThrowsFetchError()
    {
        var ex = await Assert.ThrowsAsync<GitException>(
            () => NewCache().FetchAsync(repo.Url, "0123456789abcdef0123456789abcdef01234567", CancellationToken.None));

        Assert.Equal("fetch", ex.Command);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("http")]
    public async Task CheckoutAsync_FullShaThatDoesNotExist_RevisionNotFoundNamingShaAndRepository(string transport)
    {
        const string missing = "0123456789abcdef0123456789abcdef01234567";
        repo.Commit(new Dictionary<string, string> { ["README.md"] = "two\n" }, "two");
        await using var server = new GitHttpServer(repo.Root);
        var url = transport == "http" ? server.Url("origin") : repo.Url;

        var ex = await Assert.ThrowsAsync<GitException>(() => NewCache().CheckoutAsync(url, missing, CancellationToken.None));

        Assert.True(ex.RevisionNotFound, ex.Message);
        Assert.Equal(missing, ex.Revision);
        Assert.Contains($"revision {missing} not found in {url}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckoutAsync_FullShaOfAnOlderCommit_FetchedEvenWhenNotABranchTip()
    {
        var first = repo.Head();
        repo.Commit(new Dictionary<string, string> { ["README.md"] = "two\n" }, "two");
        await using var server = new GitHttpServer(repo.Root);
        var url = server.Url("origin");

        using var checkout = await NewCache().CheckoutAsync(url, first, CancellationToken.None);

        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(checkout.Path, "README.md")));
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
        using var checkout = await cache.CheckoutAsync(githubUrl, sha, CancellationToken.None);

        Assert.Equal(repo.Head(), sha);
        Assert.True(File.Exists(Path.Combine(checkout.Path, "apps", "guestbook", "deployment.yaml")));
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
    public async Task UserGitConfig_InsteadOfInGlobalFile_ServesLocalRepositoryUnderGitHubUrl()
    {
        const string githubUrl = "https://github.com/example/guestbook";
        var config = Path.Combine(repo.Root, "gitconfig");
        File.WriteAllText(config, $"[url \"{repo.Url}\"]\n\tinsteadOf = {githubUrl}\n[url \"file:///nowhere\"]\n\tinsteadOf = https://github.com/\n");
        var cache = new GitRepositoryCache(new GitCacheOptions { RootDirectory = repo.CacheRoot }, name => name == "GIT_CONFIG_GLOBAL" ? config : null);

        var sha = await cache.ResolveAsync(githubUrl, "main", CancellationToken.None);
        using var checkout = await cache.CheckoutAsync(githubUrl, sha, CancellationToken.None);

        // The longer of the two matching prefixes wins, as in Git.
        Assert.Equal(repo.Head(), sha);
        Assert.True(File.Exists(Path.Combine(checkout.Path, "README.md")));
    }

    [Fact]
    public async Task CheckoutAsync_Path_WritesOnlyThatFolder()
    {
        using var checkout = await NewCache().CheckoutAsync(repo.Url, repo.Head(), "./apps/", CancellationToken.None);

        Assert.Equal("kind: Deployment\n", File.ReadAllText(Path.Combine(checkout.Path, "apps", "guestbook", "deployment.yaml")));
        Assert.False(File.Exists(Path.Combine(checkout.Path, "README.md")));
    }

    [Fact]
    public async Task CheckoutAsync_ExecutableAndSymlink_KeptAsInTheCommit()
    {
        File.WriteAllText(Path.Combine(repo.WorkTree, "run.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(repo.WorkTree, "run.sh"), (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(repo.WorkTree, "link.md"), "README.md");
        var sha = repo.Commit(new Dictionary<string, string>(), "modes");

        using var checkout = await NewCache().CheckoutAsync(repo.Url, sha, CancellationToken.None);

        Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(checkout.Path, "run.sh")) & UnixFileMode.UserExecute);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(checkout.Path, "README.md")) & UnixFileMode.UserExecute);
        Assert.Equal("README.md", new FileInfo(Path.Combine(checkout.Path, "link.md")).LinkTarget);
    }

    [Fact]
    public async Task CheckoutAsync_OverBudget_EvictsLeastRecentlyUsedTreesNotInUse()
    {
        var first = repo.Head();
        var second = repo.Commit(new Dictionary<string, string> { ["README.md"] = "two\n" }, "two");
        var third = repo.Commit(new Dictionary<string, string> { ["README.md"] = "three\n" }, "three");
        var cache = NewCache(new GitCacheOptions { RootDirectory = repo.CacheRoot, MaxCacheBytes = 1 });

        using var held = await cache.CheckoutAsync(repo.Url, first, CancellationToken.None);
        var done = await cache.CheckoutAsync(repo.Url, second, CancellationToken.None);
        done.Dispose();
        using var last = await cache.CheckoutAsync(repo.Url, third, CancellationToken.None);

        Assert.True(Directory.Exists(held.Path), "a tree in use is never evicted");
        Assert.False(Directory.Exists(done.Path), "the least recently used tree not in use is evicted");
        Assert.True(Directory.Exists(last.Path));
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(held.Path, "README.md")));

        // Evicted content comes back on demand.
        using var again = await cache.CheckoutAsync(repo.Url, second, CancellationToken.None);
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(again.Path, "README.md")));
    }

    [Fact]
    public async Task ResolveAsync_CancelledToken_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => NewCache().ResolveAsync(repo.Url, "main", cancelled.Token));
    }

    [Fact]
    public async Task ResolveAsync_ServerNeverAnswers_TimesOutNamingRepositoryAndRevision()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/org/repo.git";
        var cache = NewCache(new GitCacheOptions { RootDirectory = repo.CacheRoot, CommandTimeout = TimeSpan.FromSeconds(1) });

        var ex = await Assert.ThrowsAsync<GitException>(() => cache.ResolveAsync(url, "main", CancellationToken.None));

        Assert.Contains("timed out", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(url, ex.RepoUrl);
        Assert.Equal("main", ex.Revision);
    }

    [Fact]
    public async Task Http_FetchOfOneCommit_IsShallow()
    {
        var first = repo.Head();
        var second = repo.Commit(new Dictionary<string, string> { ["README.md"] = "two\n" }, "two");
        await using var server = new GitHttpServer(repo.Root);
        var url = server.Url("origin");
        var cache = NewCache();

        var sha = await cache.ResolveAsync(url, "main", CancellationToken.None);
        using var checkout = await cache.CheckoutAsync(url, sha, CancellationToken.None);

        Assert.Equal(second, sha);
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(checkout.Path, "README.md")));
        using var cached = new LibGit2Sharp.Repository(cache.RepositoryDirectory(url));
        Assert.True(cached.Info.IsShallow, string.Join(",", Directory.GetFiles(cache.RepositoryDirectory(url))) + " parent=" + cached.ObjectDatabase.Contains(new LibGit2Sharp.ObjectId(first)));
        Assert.False(cached.ObjectDatabase.Contains(new LibGit2Sharp.ObjectId(first)), "the parent commit is not fetched");
    }

    [Fact]
    public async Task Http_Token_SentWhenTheServerAsksAndNeverShown()
    {
        const string token = "ghp_SuperSecretToken123";
        await using var server = new GitHttpServer(repo.Root, "bot", token);
        var url = server.Url("origin");
        var withToken = NewCache(new GitCacheOptions { RootDirectory = repo.CacheRoot, Credentials = _ => GitCredentials.Https("bot", token) });

        var sha = await withToken.ResolveAsync(url, "main", CancellationToken.None);
        using (var checkout = await withToken.CheckoutAsync(url, sha, CancellationToken.None))
        {
            Assert.True(File.Exists(Path.Combine(checkout.Path, "README.md")));
        }

        Assert.Equal(repo.Head(), sha);
        Assert.True(server.Unauthorized > 0, "the first request goes without credentials; the token answers the 401");

        var anonymous = await Assert.ThrowsAsync<GitException>(() => NewCache().ResolveAsync(url, "main", CancellationToken.None));
        var wrong = await Assert.ThrowsAsync<GitException>(() => NewCache().ResolveAsync($"http://bot:wrong-{token}@127.0.0.1:{server.Port}/origin", "main", CancellationToken.None));
        foreach (var ex in new[] { anonymous, wrong })
        {
            Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
            Assert.Equal(url, ex.RepoUrl);
            Assert.Equal("main", ex.Revision);
        }
    }
}
