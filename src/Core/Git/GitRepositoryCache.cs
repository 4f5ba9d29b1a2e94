using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ferry.Core.Processes;

namespace Ferry.Core.Git;

/// <summary>
/// Resolves revisions and materialises commits with the real <c>git</c> CLI: one bare repository per normalized URL
/// (shallow fetches of exactly the commits asked for) and one read-only tree folder per commit.
/// </summary>
public sealed partial class GitRepositoryCache(GitCacheOptions options, ProcessRunner runner)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    /// <summary>The cache root.</summary>
    public string RootDirectory { get; } = Path.GetFullPath(options.RootDirectory);

    /// <summary>Lists the remote's refs with <c>git ls-remote</c>.</summary>
    public async Task<IReadOnlyList<GitRef>> ListRefsAsync(string repoUrl, CancellationToken cancellationToken)
    {
        var remote = Remote.Of(repoUrl, options);
        var result = await RunAsync(remote, "ls-remote", null, ["ls-remote", remote.Url], null, cancellationToken).ConfigureAwait(false);
        var refs = new List<GitRef>();
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t');
            if (tab > 0)
            {
                refs.Add(new GitRef(line[(tab + 1)..].Trim(), line[..tab].Trim()));
            }
        }

        return refs;
    }

    /// <summary>
    /// Resolves a revision to a full commit SHA: HEAD (or empty), a branch, a tag (annotated tags peeled), a full ref name,
    /// a full SHA (returned as-is) or an abbreviated SHA (fetches the branches and tags, then <c>rev-parse</c>).
    /// </summary>
    public async Task<string> ResolveAsync(string repoUrl, string revision, CancellationToken cancellationToken)
    {
        var wanted = string.IsNullOrWhiteSpace(revision) ? "HEAD" : revision.Trim();
        if (FullSha().IsMatch(wanted))
        {
            return wanted.ToLowerInvariant();
        }

        var refs = await ListRefsAsync(repoUrl, cancellationToken).ConfigureAwait(false);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in refs)
        {
            byName.TryAdd(r.Name, r.Sha);
        }

        string? Lookup(string name) =>
            byName.TryGetValue(name + "^{}", out var peeled) ? peeled : byName.GetValueOrDefault(name);

        var sha = Lookup(wanted) ?? Lookup("refs/heads/" + wanted) ?? Lookup("refs/tags/" + wanted);
        if (sha is not null)
        {
            return sha;
        }

        if (ShortSha().IsMatch(wanted))
        {
            return await ResolveShortShaAsync(Remote.Of(repoUrl, options), wanted.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        }

        throw new GitException(GitUrl.WithoutCredentials(repoUrl), "ls-remote", $"revision '{wanted}' not found (no such branch, tag or ref)") { RevisionNotFound = true };
    }

    /// <summary>Fetches exactly one commit (depth 1) into the repository's bare cache, unless it is there already.</summary>
    public async Task FetchAsync(string repoUrl, string sha, CancellationToken cancellationToken)
    {
        var remote = Remote.Of(repoUrl, options);
        RequireFullSha(remote, sha);
        using var held = await LockAsync(remote, cancellationToken).ConfigureAwait(false);
        await FetchLockedAsync(remote, sha.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns a read-only folder holding the whole tree at the commit (<c>&lt;root&gt;/trees/&lt;repo hash&gt;/&lt;sha&gt;</c>), fetching the
    /// commit when needed. The folder is created atomically and shared by every caller asking for that commit of that repository;
    /// trees are kept per repository so naming a SHA never reveals another repository's files.
    /// </summary>
    public async Task<string> CheckoutAsync(string repoUrl, string sha, CancellationToken cancellationToken)
    {
        var remote = Remote.Of(repoUrl, options);
        RequireFullSha(remote, sha);
        sha = sha.ToLowerInvariant();
        var trees = Path.Combine(RootDirectory, "trees", Path.GetFileName(RepositoryDirectory(remote.Url)));
        var tree = Path.Combine(trees, sha);
        if (Directory.Exists(tree))
        {
            return tree;
        }

        using var held = await LockAsync(remote, cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(tree))
        {
            return tree;
        }

        var gitDir = await FetchLockedAsync(remote, sha, cancellationToken).ConfigureAwait(false);
        var temp = Path.Combine(trees, $".tmp-{sha}-{Guid.NewGuid():N}");
        var index = temp + ".index";
        Directory.CreateDirectory(temp);
        try
        {
            await RunAsync(
                remote,
                "checkout",
                null,
                ["--git-dir", gitDir, "--work-tree", temp, "checkout", "--force", sha, "--", "."],
                new Dictionary<string, string?> { ["GIT_INDEX_FILE"] = index },
                cancellationToken).ConfigureAwait(false);
            MakeReadOnly(temp);
            try
            {
                Directory.Move(temp, tree);
            }
            catch (IOException) when (Directory.Exists(tree))
            {
                // Another process sharing the cache won the race; its tree is identical.
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            File.Delete(index);
        }

        return tree;
    }

    /// <summary>The bare cache repository's folder for a URL (hash of the normalized URL).</summary>
    public string RepositoryDirectory(string repoUrl)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(GitUrl.Normalize(GitUrl.WithoutCredentials(repoUrl))));
        return Path.Combine(RootDirectory, "repos", Convert.ToHexStringLower(hash)[..24]);
    }

    private async Task<string> FetchLockedAsync(Remote remote, string sha, CancellationToken cancellationToken)
    {
        var gitDir = await EnsureRepositoryAsync(remote, cancellationToken).ConfigureAwait(false);
        if (await HasCommitAsync(remote, gitDir, sha, cancellationToken).ConfigureAwait(false))
        {
            return gitDir;
        }

        await RunAsync(
            remote,
            "fetch",
            null,
            ["--git-dir", gitDir, "fetch", "--quiet", "--depth", "1", "--no-tags", remote.Url, $"+{sha}:refs/ferry/{sha}"],
            null,
            cancellationToken).ConfigureAwait(false);
        return gitDir;
    }

    private async Task<string> ResolveShortShaAsync(Remote remote, string shortSha, CancellationToken cancellationToken)
    {
        using var held = await LockAsync(remote, cancellationToken).ConfigureAwait(false);
        var gitDir = await EnsureRepositoryAsync(remote, cancellationToken).ConfigureAwait(false);
        List<string> fetch = ["--git-dir", gitDir, "fetch", "--quiet", "--no-tags"];
        if (File.Exists(Path.Combine(gitDir, "shallow")))
        {
            fetch.Add("--unshallow");
        }

        fetch.AddRange([remote.Url, "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]);
        await RunAsync(remote, "fetch", null, fetch, null, cancellationToken).ConfigureAwait(false);
        var parsed = await RunAsync(
            remote,
            "rev-parse",
            null,
            ["--git-dir", gitDir, "rev-parse", "--verify", "--quiet", shortSha + "^{commit}"],
            null,
            cancellationToken,
            checkExitCode: false).ConfigureAwait(false);
        if (parsed.ExitCode != 0)
        {
            throw new GitException(remote.DisplayUrl, "rev-parse", $"revision '{shortSha}' not found (no such branch, tag or commit)") { RevisionNotFound = true };
        }

        return parsed.StandardOutput.Trim();
    }

    private async Task<bool> HasCommitAsync(Remote remote, string gitDir, string sha, CancellationToken cancellationToken)
    {
        var result = await RunAsync(remote, "cat-file", null, ["--git-dir", gitDir, "cat-file", "-e", sha + "^{commit}"], null, cancellationToken, checkExitCode: false).ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    private async Task<string> EnsureRepositoryAsync(Remote remote, CancellationToken cancellationToken)
    {
        var gitDir = RepositoryDirectory(remote.Url);
        if (Directory.Exists(gitDir))
        {
            return gitDir;
        }

        var temp = gitDir + $".tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.GetDirectoryName(gitDir)!);
        try
        {
            await RunAsync(remote, "init", null, ["init", "--quiet", "--bare", temp], null, cancellationToken).ConfigureAwait(false);
            // Fetched commits are only referenced by refs/ferry/*; automatic gc must not touch the cache behind our back.
            await RunAsync(remote, "config", null, ["--git-dir", temp, "config", "gc.auto", "0"], null, cancellationToken).ConfigureAwait(false);
            Directory.Move(temp, gitDir);
        }
        catch (IOException) when (Directory.Exists(gitDir))
        {
            // Created meanwhile by another process sharing the cache.
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }

        return gitDir;
    }

    private async Task<IDisposable> LockAsync(Remote remote, CancellationToken cancellationToken)
    {
        var gate = locks.GetOrAdd(remote.Key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(gate);
    }

    private async Task<ProcessResult> RunAsync(
        Remote remote,
        string command,
        string? workingDirectory,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? extraEnvironment,
        CancellationToken cancellationToken,
        bool checkExitCode = true)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GCM_INTERACTIVE"] = "never",
            ["GIT_ASKPASS"] = null,
            ["SSH_ASKPASS"] = null,
            ["GIT_DIR"] = null,
            ["GIT_WORK_TREE"] = null,
            ["GIT_INDEX_FILE"] = null,
            ["LC_ALL"] = "C",
        };
        var config = new List<KeyValuePair<string, string>>(options.ExtraConfig);
        var credentials = remote.Credentials;
        string? keyFile = null;
        string? knownHostsFile = null;
        int? exitCode = null;
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (!string.IsNullOrEmpty(credentials?.Password))
            {
                config.Add(new("http.extraHeader", "Authorization: Basic " + credentials.BasicAuthorization()));
            }

            if (!string.IsNullOrEmpty(credentials?.SshPrivateKey))
            {
                var secrets = Path.Combine(RootDirectory, "tmp");
                Directory.CreateDirectory(secrets);
                keyFile = WritePrivateFile(secrets, credentials.SshPrivateKey.EndsWith('\n') ? credentials.SshPrivateKey : credentials.SshPrivateKey + "\n");
                var ssh = new StringBuilder($"ssh -i '{keyFile}' -o IdentitiesOnly=yes -o BatchMode=yes");
                if (credentials.SshInsecureIgnoreHostKey)
                {
                    ssh.Append(" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null");
                }
                else if (credentials.SshKnownHosts is not null)
                {
                    knownHostsFile = WritePrivateFile(secrets, credentials.SshKnownHosts);
                    ssh.Append($" -o StrictHostKeyChecking=yes -o UserKnownHostsFile='{knownHostsFile}'");
                }

                environment["GIT_SSH_COMMAND"] = ssh.ToString();
            }

            environment["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (var i = 0; i < config.Count; i++)
            {
                environment[$"GIT_CONFIG_KEY_{i}"] = config[i].Key;
                environment[$"GIT_CONFIG_VALUE_{i}"] = config[i].Value;
            }

            foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
            {
                environment[name] = value;
            }

            var request = new ProcessRequest
            {
                FileName = options.GitExecutable,
                Arguments = arguments,
                WorkingDirectory = workingDirectory ?? Directory.CreateDirectory(RootDirectory).FullName,
                Environment = environment,
                Timeout = options.CommandTimeout,
                Secrets = [.. credentials?.SecretValues() ?? []],
                CheckExitCode = checkExitCode,
            };
            var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
            exitCode = result.ExitCode;
            return result;
        }
        catch (ProcessException ex)
        {
            exitCode = ex.ExitCode;
            var reason = ex.TimedOut ? $"timed out after {options.CommandTimeout}" : ex.ExitCode is { } code ? $"exit code {code}" : ex.Reason;
            if (ex.StandardErrorTail.Length > 0)
            {
                reason += ": " + ex.StandardErrorTail;
            }

            throw new GitException(remote.DisplayUrl, command, reason, ex);
        }
        finally
        {
            DeleteQuietly(keyFile);
            DeleteQuietly(knownHostsFile);
            options.OnCommand?.Invoke(new GitCommandInfo(command, remote.DisplayUrl, exitCode, Stopwatch.GetElapsedTime(started)));
        }
    }

    private static string WritePrivateFile(string folder, string content)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N"));
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, streamOptions))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        return path;
    }

    private static void DeleteQuietly(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }

    private static void MakeReadOnly(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode writable = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.LinkTarget is null)
            {
                file.UnixFileMode &= ~writable;
            }
        }
    }

    private static void RequireFullSha(Remote remote, string sha)
    {
        if (!FullSha().IsMatch(sha))
        {
            throw new GitException(remote.DisplayUrl, "fetch", $"'{sha}' is not a full commit SHA; resolve the revision first");
        }
    }

    [GeneratedRegex("^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex FullSha();

    [GeneratedRegex("^[0-9a-fA-F]{4,39}$")]
    private static partial Regex ShortSha();

    /// <summary>A repository URL split into what git sees (no credentials), what people see, the cache key and the credentials.</summary>
    private sealed record Remote(string Url, string DisplayUrl, string Key, GitCredentials? Credentials)
    {
        public static Remote Of(string repoUrl, GitCacheOptions options)
        {
            var (url, user, password) = GitUrl.Split(repoUrl);
            if (url.Length == 0 || url.StartsWith('-'))
            {
                throw new GitException(url, "ls-remote", "not a repository URL");
            }

            var credentials = options.Credentials?.Invoke(url);
            if (credentials is null && password is not null)
            {
                credentials = GitCredentials.Https(user ?? "git", password);
            }

            return new Remote(url, url, GitUrl.Normalize(url), credentials);
        }
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
