using LibGit2Sharp;

namespace Ferry.Core.Git.Ssh;

/// <summary>
/// SSH for libgit2 in process: registers <see cref="SshSmartSubtransport"/> for <c>ssh://</c>, <c>ssh+git://</c> and <c>git+ssh://</c>
/// (libgit2 sends scp-like <c>user@host:path</c> URLs to the <c>ssh://</c> transport too), so no <c>ssh</c> program is needed.
/// </summary>
internal static class SshTransport
{
    private static readonly string[] Schemes = ["ssh", "ssh+git", "git+ssh"];

    private static readonly Lazy<bool> Registered = new(Register);

    // libgit2 creates the subtransport itself (new T()) on the thread that runs the fetch, so the operation's credentials reach it
    // as ambient state of that call, never as process-wide state another operation could see.
    private static readonly AsyncLocal<SshOperation?> Current = new();

    /// <summary>The operation running on this call path; null outside <see cref="Use"/>.</summary>
    public static SshOperation? Operation => Current.Value;

    /// <summary>Registers the transport (once per process) and makes <paramref name="operation"/> the SSH context until disposed.</summary>
    public static IDisposable Use(SshOperation operation)
    {
        _ = Registered.Value;
        var previous = Current.Value;
        Current.Value = operation;
        return new Restore(previous);
    }

    private static bool Register()
    {
        foreach (var scheme in Schemes)
        {
            GlobalSettings.RegisterSmartSubtransport<SshSmartSubtransport>(scheme);
        }

        return true;
    }

    private sealed class Restore(SshOperation? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
