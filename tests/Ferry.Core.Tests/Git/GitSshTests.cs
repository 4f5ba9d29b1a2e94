using System.Runtime.Versioning;
using Ferry.Core.Git;
using Ferry.Core.Processes;

namespace Ferry.Core.Tests.Git;

/// <summary>
/// Git over SSH in process (SSH.NET as libgit2's subtransport) against a real OpenSSH server running the real <c>git-upload-pack</c>,
/// with neither <c>git</c> nor <c>ssh</c> on Ferry's PATH.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Collection(SshCollection.Name)]
public sealed class GitSshTests : IAsyncLifetime
{
    private readonly TestGitRepository _repo = TestGitRepository.Create(new Dictionary<string, string>
    {
        ["apps/guestbook/deployment.yaml"] = "kind: Deployment\n",
        ["README.md"] = "hello\n",
    });

    private SshServer _server = null!;
    private string? _path;
    private string _head = null!;

    public Task InitializeAsync()
    {
        _server = SshServer.Start(_repo.Root);
        _head = _repo.Head();
        _path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", Directory.CreateDirectory(Path.Combine(_repo.Root, "empty-path")).FullName);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("PATH", _path);
        await _server.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Checkout_OverRealSshd_WithNeitherGitNorSshOnPath()
    {
        Assert.Null(ProcessRunner.FindExecutable("git", Environment.GetEnvironmentVariable("PATH")));
        Assert.Null(ProcessRunner.FindExecutable("ssh", Environment.GetEnvironmentVariable("PATH")));
        var url = _server.Url(_repo.WorkTree);
        var cache = Cache(GitCredentials.Ssh(_server.ClientPrivateKey, _server.KnownHostsLine));

        var sha = await cache.ResolveAsync(url, "main", CancellationToken.None);
        using var checkout = await cache.CheckoutAsync(url, sha, "apps/guestbook", CancellationToken.None);

        Assert.Equal(_head, sha);
        Assert.Equal("kind: Deployment\n", File.ReadAllText(Path.Combine(checkout.Path, "apps", "guestbook", "deployment.yaml")));
    }

    [Fact]
    public async Task Checkout_ScpLikeUrlMappedByInsteadOf_AndAnEncryptedKeyWithItsPassphrase()
    {
        var keyFile = Path.Combine(_server.Folder, "encrypted_ed25519");
        _path = Swap(_path);
        SshServer.KeyGen(keyFile, "correct horse");
        _path = Swap(_path);
        await File.AppendAllTextAsync(Path.Combine(_server.Folder, "authorized_keys"), await File.ReadAllTextAsync(keyFile + ".pub"));
        var encrypted = await File.ReadAllTextAsync(keyFile);
        // The catalog names the repository scp-like; the user's Git configuration sends it to this server's port.
        const string scpLike = "git@github.example:acme/shop.git";
        var cache = new GitRepositoryCache(
            new GitCacheOptions
            {
                RootDirectory = _repo.CacheRoot,
                UseUserGitConfig = false,
                ExtraConfig = [new($"url.{_server.Url(_repo.WorkTree)}.insteadOf", scpLike)],
                Credentials = _ => GitCredentials.Ssh(encrypted, _server.KnownHostsLine, "correct horse"),
            });

        var sha = await cache.ResolveAsync(scpLike, "HEAD", CancellationToken.None);

        Assert.Equal(_head, sha);
    }

    [Fact]
    public async Task Resolve_WrongKey_ClearErrorNamingTheRepository_WithoutTheKey()
    {
        var keyFile = Path.Combine(_server.Folder, "stranger_ed25519");
        _path = Swap(_path);
        SshServer.KeyGen(keyFile, string.Empty);
        _path = Swap(_path);
        var stranger = await File.ReadAllTextAsync(keyFile);
        var url = _server.Url(_repo.WorkTree);

        var ex = await Assert.ThrowsAsync<GitException>(() => Cache(GitCredentials.Ssh(stranger, _server.KnownHostsLine)).ResolveAsync(url, "main", CancellationToken.None));

        Assert.Equal(url, ex.RepoUrl);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains($"127.0.0.1 refused the SSH private key for user '{Environment.UserName}'", StringComparison.Ordinal), ex.Message);
        foreach (var line in stranger.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line.Trim(), ex.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resolve_UnknownHostKey_Refused_UnlessHostKeyCheckingIsTurnedOff()
    {
        var url = _server.Url(_repo.WorkTree);
        var otherHost = Path.Combine(_server.Folder, "other_host");
        _path = Swap(_path);
        SshServer.KeyGen(otherHost, string.Empty);
        _path = Swap(_path);
        var wrongKnownHosts = $"[127.0.0.1]:{_server.Port} {string.Join(' ', (await File.ReadAllTextAsync(otherHost + ".pub")).Split(' ').Take(2))}";

        var refused = await Assert.ThrowsAsync<GitException>(() => Cache(GitCredentials.Ssh(_server.ClientPrivateKey, wrongKnownHosts)).ResolveAsync(url, "main", CancellationToken.None));
        var unchecked_ = await Cache(GitCredentials.Ssh(_server.ClientPrivateKey, wrongKnownHosts) with { SshInsecureIgnoreHostKey = true }).ResolveAsync(url, "main", CancellationToken.None);

        Assert.Contains("is not among the known host keys", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"[127.0.0.1]:{_server.Port}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(_head, unchecked_);
    }

    [Fact]
    public async Task Resolve_HostKeyFingerprintInsteadOfAKnownHostsLine_Trusted()
    {
        var fingerprint = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Convert.FromBase64String(_server.HostPublicKey.Split(' ')[1]))).TrimEnd('=');

        var sha = await Cache(GitCredentials.Ssh(_server.ClientPrivateKey, fingerprint)).ResolveAsync(_server.Url(_repo.WorkTree), "main", CancellationToken.None);

        Assert.Equal(_head, sha);
    }

    [Fact]
    public async Task Resolve_NoSuchRepositoryOnTheServer_SaysWhatTheServerSaid()
    {
        var url = _server.Url(Path.Combine(_repo.Root, "nowhere"));

        var ex = await Assert.ThrowsAsync<GitException>(() => Cache(GitCredentials.Ssh(_server.ClientPrivateKey, _server.KnownHostsLine)).ResolveAsync(url, "main", CancellationToken.None));

        Assert.True(ex.Message.Contains("git-upload-pack on 127.0.0.1 failed", StringComparison.Ordinal), ex.Message);
        Assert.True(ex.Message.Contains("does not appear to be a git repository", StringComparison.Ordinal), ex.Message);
    }

    private GitRepositoryCache Cache(GitCredentials credentials) =>
        new(new GitCacheOptions { RootDirectory = Path.Combine(_repo.CacheRoot, Guid.NewGuid().ToString("N")[..8]), UseUserGitConfig = false, Credentials = _ => credentials });

    // ssh-keygen is the test's tool: PATH is given back for the moment it runs.
    private static string? Swap(string? path)
    {
        var current = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", path);
        return current;
    }
}
