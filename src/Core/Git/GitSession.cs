using System.Diagnostics;
using System.Globalization;
using System.Text;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;

namespace Ferry.Core.Git;

/// <summary>
/// One locked operation on a cached repository: its credentials, its cancellation (checked by libgit2's progress callbacks),
/// the SSH command carrying a private key for the time of the operation, and telemetry for each network call.
/// </summary>
internal sealed class GitSession(GitRemote remote, string? revision, GitCacheOptions options, string root, CancellationToken cancellationToken)
{
    private const string SshCommandKey = "core.sshCommand";

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

    /// <summary>Runs one network call, reporting it to <see cref="GitCacheOptions.OnCommand"/>; libgit2's failure becomes a <see cref="GitException"/>.</summary>
    public T Network<T>(string command, Func<T> call)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        int? code = null;
        try
        {
            var result = call();
            code = 0;
            return result;
        }
        catch (UserCancelledException)
        {
            throw;
        }
        catch (LibGit2SharpException ex)
        {
            code = ex.Data["libgit2.code"] is IConvertible native ? native.ToInt32(CultureInfo.InvariantCulture) : -1;
            // libgit2's exception is not chained: its message is the reason, redacted.
            throw new GitException(remote.DisplayUrl, command, remote.Redact(ex.Message), null, revision);
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
    /// For SSH, points libgit2 (which runs an OpenSSH client as one program) at a wrapper script that adds batch mode, the key
    /// file and the host key policy; the script and the key exist for this operation alone and the setting is undone on dispose.
    /// </summary>
    public IDisposable Prepare(Repository repo)
    {
        if (!remote.IsSsh)
        {
            return new Cleanup(null, []);
        }

        var secrets = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        var files = new List<string>();
        var command = new StringBuilder("exec ").Append(options.SshCommand).Append(" -o BatchMode=yes");
        var credentials = remote.Credentials;
        if (!string.IsNullOrEmpty(credentials?.SshPrivateKey))
        {
            var key = WritePrivateFile(secrets, credentials.SshPrivateKey.EndsWith('\n') ? credentials.SshPrivateKey : credentials.SshPrivateKey + "\n", executable: false);
            files.Add(key);
            command.Append(" -i ").Append(Quote(key)).Append(" -o IdentitiesOnly=yes");
            if (credentials.SshInsecureIgnoreHostKey)
            {
                command.Append(" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null");
            }
            else if (credentials.SshKnownHosts is not null)
            {
                var knownHosts = WritePrivateFile(secrets, credentials.SshKnownHosts, executable: false);
                files.Add(knownHosts);
                command.Append(" -o StrictHostKeyChecking=yes -o UserKnownHostsFile=").Append(Quote(knownHosts));
            }
        }

        var wrapper = WritePrivateFile(secrets, "#!/bin/sh\n" + command + " \"$@\"\n", executable: true);
        files.Add(wrapper);
        repo.Config.Set(SshCommandKey, wrapper, ConfigurationLevel.Local);
        return new Cleanup(repo, files);
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string WritePrivateFile(string folder, string content, bool executable)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture));
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | (executable ? UnixFileMode.UserExecute : UnixFileMode.None);
        }

        using (var stream = new FileStream(path, streamOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return path;
    }

    private sealed class Cleanup(Repository? repo, IReadOnlyList<string> files) : IDisposable
    {
        public void Dispose()
        {
            repo?.Config.Unset(SshCommandKey, ConfigurationLevel.Local);
            foreach (var file in files)
            {
                File.Delete(file);
            }
        }
    }
}
