using Ferry.Cli.Local;
using Ferry.Functions.Tests.TestSupport;
using LibGit2Sharp;

namespace Ferry.Functions.Tests.Local;

public sealed class DemoRepositoryTests
{
    [Fact]
    public async Task EnsureAsync_FreshState_GuestbookCommittedOnMain()
    {
        using var state = new TempDirectory();

        var demo = await DemoRepository.EnsureAsync(state.Path, CancellationToken.None);

        // Whatever init.defaultBranch the machine has, the demo is on main, the branch its push webhooks name.
        using var repo = new Repository(demo.RepositoryPath);
        Assert.Equal("refs/heads/main", repo.Head.CanonicalName);
        var tip = repo.Branches["main"]?.Tip;
        Assert.NotNull(tip);
        Assert.NotNull(tip["guestbook"]);
    }

    [Fact]
    public async Task CommitChangeAsync_AfterEnsure_AdvancesMain()
    {
        using var state = new TempDirectory();
        var demo = await DemoRepository.EnsureAsync(state.Path, CancellationToken.None);

        var (before, after, _) = await demo.CommitChangeAsync(CancellationToken.None);

        using var repo = new Repository(demo.RepositoryPath);
        Assert.NotEqual(before, after);
        Assert.Equal(after, repo.Branches["main"].Tip.Sha);
    }
}
