using Ferry.Core.Git;
using LibGit2Sharp;

namespace Ferry.Core.Tests.Git;

/// <summary>
/// libgit2 waits on its sockets with a timeout, which a signal interrupts whatever SA_RESTART says; .NET's SIGCHLD handler (any
/// test's child process exiting) failed an HTTP ls-remote in the full suite with "Interrupted system call". Such a call is repeated.
/// </summary>
public sealed class GitSessionTests
{
    private const string Interrupted = "error receiving data from socket: Interrupted system call";

    [Fact]
    public void Network_InterruptedSystemCall_TheCallIsRepeated()
    {
        var calls = 0;
        var commands = new List<GitCommandInfo>();

        var refs = Session(commands).Network("ls-remote", () => ++calls == 1 ? throw new LibGit2SharpException(Interrupted) : "refs");

        Assert.Equal(("refs", 2), (refs, calls));
        Assert.Equal(0, Assert.Single(commands).ExitCode);
    }

    [Fact]
    public void Network_BurstOfInterruptions_StillRepeated()
    {
        // Seen in a loaded full suite: a silent server's ls-remote was interrupted three times within its one-second limit and
        // failed with "Interrupted system call" instead of timing out.
        var calls = 0;

        var refs = Session([]).Network("ls-remote", () => ++calls <= 10 ? throw new LibGit2SharpException(Interrupted) : "refs");

        Assert.Equal(("refs", 11), (refs, calls));
    }

    [Fact]
    public void Network_InterruptedAfterTheOperationWasCancelled_NotRepeated()
    {
        using var cancelled = new CancellationTokenSource();
        var calls = 0;
        var session = new GitSession(new GitRemote("http://127.0.0.1/repo", "http://127.0.0.1/repo", null), "main", new GitCacheOptions { RootDirectory = Path.GetTempPath() }, cancelled.Token);

        Assert.Throws<GitException>(() => session.Network<string>("fetch", () => { calls++; cancelled.Cancel(); throw new LibGit2SharpException(Interrupted); }));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void Network_InterruptedEveryTime_FailsAfterBoundedAttemptsNamingTheRepository()
    {
        var calls = 0;

        var ex = Assert.Throws<GitException>(() => Session([]).Network<string>("fetch", () => { calls++; throw new LibGit2SharpException(Interrupted); }));

        Assert.Equal(64, calls);
        Assert.Contains("http://127.0.0.1/repo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Network_OtherFailure_NotRepeated()
    {
        var calls = 0;

        Assert.Throws<GitException>(() => Session([]).Network<string>("ls-remote", () => { calls++; throw new LibGit2SharpException("failed to resolve address"); }));

        Assert.Equal(1, calls);
    }

    private static GitSession Session(List<GitCommandInfo> commands) =>
        new(new GitRemote("http://127.0.0.1/repo", "http://127.0.0.1/repo", null), "main", new GitCacheOptions { RootDirectory = Path.GetTempPath(), OnCommand = commands.Add }, CancellationToken.None);
}
