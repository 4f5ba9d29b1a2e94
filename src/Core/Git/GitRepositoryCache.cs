using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LibGit2Sharp;

namespace Ferry.Core.Git;

/// <summary>
/// Git in process with LibGit2Sharp (no <c>git</c> binary): resolves revisions from the remote's references, fetches exactly the
/// commit asked for (depth 1) into one bare repository per normalized URL, and writes a commit's tree from the object database
/// into a read-only folder per commit. One lock per cached repository; the cache stays under
/// <see cref="GitCacheOptions.MaxCacheBytes"/> by evicting the least recently used repositories and trees not in use.
/// </summary>
public sealed partial class GitRepositoryCache
{
    private const string RemoteName = "origin";

    private readonly GitCacheOptions options;
    private readonly GitUrlRewriter rewriter;
    private readonly GitCacheEntries entries;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> remotesSet = new(StringComparer.Ordinal);

    /// <summary>A cache reading the user's Git configuration through the process's environment.</summary>
    public GitRepositoryCache(GitCacheOptions options)
        : this(options, Environment.GetEnvironmentVariable)
    {
    }

    internal GitRepositoryCache(GitCacheOptions options, Func<string, string?> environment)
    {
        this.options = options;
        RootDirectory = Path.GetFullPath(options.RootDirectory);
        rewriter = GitUrlRewriter.Create(options.ExtraConfig, options.UseUserGitConfig, environment);
        entries = new GitCacheEntries(RootDirectory, options.MaxCacheBytes, TryLockRepository);
        LibGit2Timeouts.Ensure();
    }

    /// <summary>The cache root.</summary>
    public string RootDirectory { get; }

    /// <summary>Lists the remote's references, as <c>git ls-remote</c> does (annotated tags also peeled, as <c>refs/tags/x^{}</c>).</summary>
    public Task<IReadOnlyList<GitRef>> ListRefsAsync(string repoUrl, CancellationToken cancellationToken)
    {
        var remote = RemoteOf(repoUrl);
        return LockedAsync(remote, "ls-remote", null, (repo, session) => ListRefs(repo, remote, session), cancellationToken);
    }

    /// <summary>
    /// Resolves a revision to a full commit SHA: HEAD (or empty), a branch, a tag (annotated tags peeled), a full ref name,
    /// a full SHA (returned as-is) or an abbreviated SHA (fetches the branches and tags, then looks the prefix up).
    /// </summary>
    public Task<string> ResolveAsync(string repoUrl, string revision, CancellationToken cancellationToken) =>
        ResolveAsync(repoUrl, revision, null, cancellationToken);

    /// <summary>
    /// Like <see cref="ResolveAsync(string, string, CancellationToken)"/>, but looks the revision up in <paramref name="listRefs"/>'s
    /// answer (a listing shared by several callers) instead of listing the remote's references itself.
    /// </summary>
    public async Task<string> ResolveAsync(string repoUrl, string revision, Func<CancellationToken, Task<IReadOnlyList<GitRef>>>? listRefs, CancellationToken cancellationToken)
    {
        var wanted = string.IsNullOrWhiteSpace(revision) ? "HEAD" : revision.Trim();
        if (FullSha().IsMatch(wanted))
        {
            return wanted.ToLowerInvariant();
        }

        var remote = RemoteOf(repoUrl);
        var refs = listRefs is not null
            ? await listRefs(cancellationToken).ConfigureAwait(false)
            : await LockedAsync(remote, "ls-remote", wanted, (repo, session) => ListRefs(repo, remote, session), cancellationToken).ConfigureAwait(false);
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
            var prefix = wanted.ToLowerInvariant();
            return await LockedAsync(remote, "fetch", wanted, (repo, session) => ResolveShortSha(repo, remote, prefix, session), cancellationToken).ConfigureAwait(false);
        }

        throw new GitException(remote.DisplayUrl, "ls-remote", $"revision '{wanted}' not found (no such branch, tag or ref)", revision: wanted) { RevisionNotFound = true };
    }

    /// <summary>Fetches exactly one commit (depth 1) into the repository's bare cache, unless it is there already.</summary>
    public Task FetchAsync(string repoUrl, string sha, CancellationToken cancellationToken)
    {
        var remote = RemoteOf(repoUrl);
        RequireFullSha(remote, sha);
        var commit = sha.ToLowerInvariant();
        return LockedAsync(
            remote,
            "fetch",
            commit,
            (repo, session) =>
            {
                FetchCommit(repo, remote, commit, session);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// The whole tree at the commit in a read-only folder (<c>&lt;root&gt;/trees/&lt;repo hash&gt;/&lt;sha&gt;</c>), fetching the commit
    /// when needed. The folder is created atomically, shared by every caller asking for that commit of that repository, and kept
    /// from eviction until the returned checkout is disposed. Trees are kept per repository so naming a SHA never reveals
    /// another repository's files.
    /// </summary>
    public Task<GitCheckout> CheckoutAsync(string repoUrl, string sha, CancellationToken cancellationToken) =>
        CheckoutAsync(repoUrl, sha, ".", cancellationToken);

    /// <summary>
    /// Like <see cref="CheckoutAsync(string, string, CancellationToken)"/>, but writes only <paramref name="path"/> (a folder
    /// relative to the repository root) from the commit's tree; the folder still mirrors the repository's layout.
    /// </summary>
    public async Task<GitCheckout> CheckoutAsync(string repoUrl, string sha, string path, CancellationToken cancellationToken)
    {
        var remote = RemoteOf(repoUrl);
        RequireFullSha(remote, sha);
        var commit = sha.ToLowerInvariant();
        var subPath = NormalizePath(path);
        var trees = Path.Combine(RootDirectory, "trees", Path.GetFileName(RepositoryDirectory(remote.Url)));
        var tree = Path.Combine(trees, subPath.Length == 0 ? commit : $"{commit}-{Hash(subPath)[..12]}");
        if (entries.TryLease(tree) is { } existing)
        {
            return new GitCheckout(tree, commit, existing);
        }

        var release = await LockedAsync(
            remote,
            "checkout",
            commit,
            (repo, session) =>
            {
                if (entries.TryLease(tree) is { } leased)
                {
                    return leased;
                }

                FetchCommit(repo, remote, commit, session);
                var bytes = WriteTree(repo, remote, commit, subPath, trees, tree);
                return entries.AddLeased(tree, bytes);
            },
            cancellationToken).ConfigureAwait(false);
        return new GitCheckout(tree, commit, release);
    }

    /// <summary>The subject line and author of a commit already in the cache (after a checkout); null when the cache does not hold it.</summary>
    public Task<GitCommitInfo?> CommitInfoAsync(string repoUrl, string sha, CancellationToken cancellationToken)
    {
        var remote = RemoteOf(repoUrl);
        RequireFullSha(remote, sha);
        return LockedAsync(remote, "log", sha, (repo, _) => repo.Lookup<Commit>(sha) is { } commit ? new GitCommitInfo(commit.MessageShort, commit.Author.Name) : null, cancellationToken);
    }

    /// <summary>The bare cache repository's folder for a URL (hash of the normalized URL).</summary>
    public string RepositoryDirectory(string repoUrl) =>
        Path.Combine(RootDirectory, "repos", Hash(GitUrl.Normalize(GitUrl.WithoutCredentials(repoUrl)))[..24]);

    private static IReadOnlyList<GitRef> ListRefs(Repository repo, GitRemote remote, GitSession session)
    {
        var advertised = session.Network("ls-remote", () => (session.CredentialsProvider is { } credentials
            ? repo.Network.ListReferences(remote.FetchUrl, credentials)
            : repo.Network.ListReferences(remote.FetchUrl)).ToList());
        var refs = new List<GitRef>(advertised.Count);
        foreach (var reference in advertised)
        {
            // HEAD is advertised as a symbolic reference to the default branch.
            if (reference.ResolveToDirectReference()?.TargetIdentifier is { } target)
            {
                refs.Add(new GitRef(reference.CanonicalName, target));
            }
        }

        return refs;
    }

    private static string ResolveShortSha(Repository repo, GitRemote remote, string prefix, GitSession session)
    {
        FetchBranchesAndTags(repo, remote, session);
        try
        {
            return repo.Lookup(prefix + "^{commit}") is Commit commit
                ? commit.Sha
                : throw new GitException(remote.DisplayUrl, "rev-parse", $"revision '{prefix}' not found (no such branch, tag or commit)", revision: prefix) { RevisionNotFound = true };
        }
        catch (AmbiguousSpecificationException)
        {
            throw new GitException(remote.DisplayUrl, "rev-parse", $"revision '{prefix}' is ambiguous (several commits start with it)", revision: prefix);
        }
    }

    /// <summary>Every branch and tag with their whole history (a shallow cache is deepened).</summary>
    private static void FetchBranchesAndTags(Repository repo, GitRemote remote, GitSession session)
    {
        var fetch = session.FetchOptions(repo.Info.IsShallow && !remote.IsLocal && !remote.IsSsh ? int.MaxValue : 0);
        session.Network("fetch", () => LibGit2ShallowFetch.Fetch(repo, RemoteName, ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"], fetch, fetch.Depth));
    }

    /// <summary>
    /// Fetches one commit, depth 1 over HTTP(S). A local repository is copied whole (libgit2's local transport cannot fetch
    /// shallow), and so is one over SSH (git upload-pack refuses libgit2 1.8's shallow request on a stateful connection).
    /// When the remote refuses or does not send the commit, every branch and tag is fetched: a commit none of them reaches
    /// does not exist there, which no retry can change (<see cref="GitException.RevisionNotFound"/>); a remote that cannot be
    /// reached at all stays a plain, transient failure.
    /// </summary>
    private static void FetchCommit(Repository repo, GitRemote remote, string sha, GitSession session)
    {
        if (HasCommit(repo, sha))
        {
            return;
        }

        try
        {
            session.Network("fetch", () => LibGit2ShallowFetch.Fetch(repo, RemoteName, [$"+{sha}:refs/ferry/{sha}"], session.FetchOptions(1), remote.IsLocal || remote.IsSsh ? 0 : 1));
        }
        catch (GitException)
        {
            // Servers refuse a want they do not have ("not our ref"); whether it exists is decided below.
        }

        if (HasCommit(repo, sha))
        {
            return;
        }

        FetchBranchesAndTags(repo, remote, session);
        if (!HasCommit(repo, sha))
        {
            throw new GitException(remote.DisplayUrl, "fetch", $"revision {sha} not found in {remote.DisplayUrl} (no branch or tag reaches it)", revision: sha) { RevisionNotFound = true };
        }
    }

    private static bool HasCommit(Repository repo, string sha) =>
        repo.ObjectDatabase.Contains(new ObjectId(sha)) && repo.Lookup<Commit>(sha) is not null;

    /// <summary>Writes the commit's tree (or one folder of it) from the object database; returns the bytes written.</summary>
    private static long WriteTree(Repository repo, GitRemote remote, string sha, string subPath, string trees, string tree)
    {
        var commit = repo.Lookup<Commit>(sha);
        var temp = Path.Combine(trees, $".tmp-{Path.GetFileName(tree)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            long bytes = 0;
            if (subPath.Length == 0)
            {
                bytes = WriteEntries(commit.Tree, temp, remote, sha);
            }
            else if (commit[subPath] is { TargetType: TreeEntryTargetType.Tree } folder)
            {
                // A missing folder stays missing: whoever reads it reports the path it expected.
                var target = Path.Combine(temp, subPath.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(target);
                bytes = WriteEntries((Tree)folder.Target, target, remote, sha);
            }

            MakeReadOnly(temp);
            try
            {
                Directory.Move(temp, tree);
            }
            catch (IOException) when (Directory.Exists(tree))
            {
                // Another process sharing the cache won the race; its tree is identical.
            }

            return bytes;
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    private static long WriteEntries(Tree tree, string folder, GitRemote remote, string sha)
    {
        long bytes = 0;
        foreach (var entry in tree)
        {
            // Git itself refuses these names on checkout: they would escape the folder or plant repository metadata.
            if (entry.Name is "." or ".." || entry.Name.Contains('/', StringComparison.Ordinal) || entry.Name.Contains('\\', StringComparison.Ordinal)
                || entry.Name.Contains('\0', StringComparison.Ordinal) || string.Equals(entry.Name, ".git", StringComparison.OrdinalIgnoreCase))
            {
                throw new GitException(remote.DisplayUrl, "checkout", $"the tree holds an unsafe entry name '{entry.Path}'", revision: sha);
            }

            var target = Path.Combine(folder, entry.Name);
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    Directory.CreateDirectory(target);
                    bytes += WriteEntries((Tree)entry.Target, target, remote, sha);
                    break;
                case TreeEntryTargetType.Blob when entry.Mode == Mode.SymbolicLink:
                    File.CreateSymbolicLink(target, ((Blob)entry.Target).GetContentText());
                    break;
                case TreeEntryTargetType.Blob:
                    var blob = (Blob)entry.Target;
                    using (var source = blob.GetContentStream())
                    using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    {
                        source.CopyTo(file);
                    }

                    if (entry.Mode == Mode.ExecutableFile && !OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                    }

                    bytes += blob.Size;
                    break;
                default:
                    // A submodule (gitlink) is an empty folder, as in a checkout without --recurse-submodules.
                    Directory.CreateDirectory(target);
                    break;
            }
        }

        return bytes;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the repository's cache under its lock, on a worker thread. The time limit and the caller's
    /// token cancel the transfer through libgit2's progress callbacks; the caller gets its answer at once, and the lock is held
    /// until libgit2 has really stopped.
    /// </summary>
    private async Task<T> LockedAsync<T>(GitRemote remote, string command, string? revision, Func<Repository, GitSession, T> work, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.CommandTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var gitDir = RepositoryDirectory(remote.Url);
        var gate = locks.GetOrAdd(gitDir, _ => new SemaphoreSlim(1, 1));
        Task<T> running;
        try
        {
            await gate.WaitAsync(linked.Token).ConfigureAwait(false);
            var session = new GitSession(remote, revision, options, linked.Token);
            running = Task.Run(
                () =>
                {
                    try
                    {
                        if (!Directory.Exists(gitDir) || !remotesSet.TryGetValue(gitDir, out var fetchUrl) || fetchUrl != remote.FetchUrl)
                        {
                            EnsureRepository(remote, gitDir);
                            remotesSet[gitDir] = remote.FetchUrl;
                        }

                        T result;
                        using (var repo = new Repository(gitDir))
                        using (session.UseSsh())
                        {
                            result = work(repo, session);
                        }

                        entries.TouchRepository(gitDir, session.Fetched);
                        return result;
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                CancellationToken.None);
            var answer = await running.WaitAsync(linked.Token).ConfigureAwait(false);
            entries.EvictOverBudget();
            return answer;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GitException(remote.DisplayUrl, command, $"timed out after {options.CommandTimeout}", revision: revision);
        }
        catch (UserCancelledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new GitException(remote.DisplayUrl, command, $"timed out after {options.CommandTimeout}", revision: revision);
        }
        catch (UserCancelledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (LibGit2SharpException ex)
        {
            // libgit2's exception is not chained: its message is the reason, redacted.
            throw new GitException(remote.DisplayUrl, command, remote.Redact(ex.Message.Replace(Ssh.SshTransportException.Prefix, string.Empty, StringComparison.Ordinal)), null, revision);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GitException(remote.DisplayUrl, command, $"the cache at {RootDirectory} failed: {ex.Message}", ex, revision);
        }
    }

    private static void EnsureRepository(GitRemote remote, string gitDir)
    {
        if (!Directory.Exists(gitDir))
        {
            var temp = gitDir + $".tmp-{Guid.NewGuid():N}";
            Directory.CreateDirectory(Path.GetDirectoryName(gitDir)!);
            try
            {
                Repository.Init(temp, isBare: true);
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
        }

        using var repo = new Repository(gitDir);
        var origin = repo.Network.Remotes[RemoteName];
        if (origin is null)
        {
            repo.Network.Remotes.Add(RemoteName, remote.FetchUrl);
        }
        else if (!string.Equals(origin.Url, remote.FetchUrl, StringComparison.Ordinal))
        {
            repo.Network.Remotes.Update(RemoteName, r => r.Url = remote.FetchUrl);
        }

        origin?.Dispose();
    }

    private Action? TryLockRepository(string gitDir)
    {
        var gate = locks.GetOrAdd(gitDir, _ => new SemaphoreSlim(1, 1));
        return gate.Wait(0) ? () => gate.Release() : null;
    }

    private GitRemote RemoteOf(string repoUrl)
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

        return new GitRemote(url, rewriter.Rewrite(url), credentials);
    }

    private static string NormalizePath(string path)
    {
        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            throw new ArgumentException($"the path '{path}' leaves the repository", nameof(path));
        }

        return string.Join('/', parts);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

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

    private static void RequireFullSha(GitRemote remote, string sha)
    {
        if (!FullSha().IsMatch(sha))
        {
            throw new GitException(remote.DisplayUrl, "fetch", $"'{sha}' is not a full commit SHA; resolve the revision first", revision: sha);
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex FullSha();

    [GeneratedRegex("^[0-9a-fA-F]{4,39}$")]
    private static partial Regex ShortSha();
}
