using System.Diagnostics;
using System.Globalization;
using Ferry.Core.Git.Ssh;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Ferry.Core.Git;

/// <summary>
/// One locked operation on a cached repository: its credentials (HTTPS through libgit2's callback, SSH through Ferry's transport),
/// its cancellation (checked by libgit2's progress callbacks), and telemetry for each network call.
/// </summary>
internal sealed class GitSession(GitRemote remote, string? revision, GitCacheOptions options, CancellationToken cancellationToken)
{
    // A busy process (many children exiting) interrupts bursts of waits; the operation's time limit ends a long run of them sooner.
    private const int InterruptedAttempts = 64;

    private static readonly TimeSpan SshConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Whether the operation fetched (the repository may have grown).</summary>
    public bool Fetched { get; private set; }

    /// <summary>Answers libgit2's request for HTTPS credentials; null when there are none (libgit2 then reports that authentication is required).</summary>
    public CredentialsHandler? CredentialsProvider =>
        remote.Credentials is { Password: { Length: > 0 } password } credentials
            ? (_, _, _) => new UsernamePasswordCredentials { Username = string.IsNullOrEmpty(credentials.UserName) ? "git" : credentials.UserName, Password = password }
            : null;

    /// <summary>Fetch options of the given depth (0 = full history, <see cref="int.MaxValue"/> = unshallow), cancellable.</summary>
    public FetchOptions FetchOptions(int depth) => new()
    {
        Depth = depth,
        TagFetchMode = TagFetchMode.None,
        Prune = false,
        CredentialsProvider = CredentialsProvider,
        OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
        OnProgress = _ => !cancellationToken.IsCancellationRequested,
    };

    /// <summary>
    /// Runs one network call, reporting it to <see cref="GitCacheOptions.OnCommand"/>; libgit2's failure becomes a <see cref="GitException"/>.
    /// A call a signal interrupted is made again: libgit2 waits on its sockets with a timeout (<see cref="LibGit2Timeouts"/>), and such a
    /// wait is never restarted after a signal handler ran on its thread, as the runtime's SIGCHLD handler does whenever any child process
    /// of this one exits. Listing references and fetching are idempotent.
    /// </summary>
    public T Network<T>(string command, Func<T> call)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        int? code = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var result = call();
                    code = 0;
                    return result;
                }
                catch (LibGit2SharpException ex) when (attempt < InterruptedAttempts && ex is not UserCancelledException
                    && ex.Message.Contains("Interrupted system call", StringComparison.Ordinal) && !cancellationToken.IsCancellationRequested)
                {
                    // Interrupted by a signal, not failed: the same call again.
                }
            }
        }
        catch (UserCancelledException)
        {
            throw;
        }
        catch (LibGit2SharpException ex)
        {
            code = ex.Data["libgit2.code"] is IConvertible native ? native.ToInt32(CultureInfo.InvariantCulture) : -1;
            // libgit2's exception is not chained: its message is the reason, redacted.
            throw new GitException(remote.DisplayUrl, command, Reason(ex), null, revision);
        }
        finally
        {
            if (command == "fetch")
            {
                Fetched = true;
            }

            options.OnCommand?.Invoke(new GitCommandInfo(command, remote.DisplayUrl, code, Stopwatch.GetElapsedTime(started)));
        }
    }

    /// <summary>Runs one network call without a result.</summary>
    public void Network(string command, Action call) => Network(command, () =>
    {
        call();
        return true;
    });

    /// <summary>
    /// For SSH, hands the repository's credentials and this operation's cancellation to Ferry's in-process SSH transport (no <c>ssh</c>
    /// program) until disposed; null for other transports.
    /// </summary>
    public IDisposable? UseSsh() =>
        remote.IsSsh ? SshTransport.Use(new SshOperation(remote.Credentials, options.CommandTimeout < SshConnectTimeout ? options.CommandTimeout : SshConnectTimeout, cancellationToken)) : null;

    /// <summary>libgit2's message for a failure, without the exception type LibGit2Sharp puts before a transport's own message, and redacted.</summary>
    public string Reason(LibGit2SharpException ex) => remote.Redact(ex.Message.Replace(SshTransportException.Prefix, string.Empty, StringComparison.Ordinal));
}
