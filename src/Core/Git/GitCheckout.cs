namespace Ferry.Core.Git;

/// <summary>A materialised tree of one commit, kept from eviction until disposed.</summary>
public sealed class GitCheckout : IDisposable
{
    private Action? release;

    internal GitCheckout(string path, string sha, Action release)
    {
        Path = path;
        Sha = sha;
        this.release = release;
    }

    /// <summary>The read-only folder holding the tree (the repository root at <see cref="Sha"/>).</summary>
    public string Path { get; }

    /// <summary>The commit.</summary>
    public string Sha { get; }

    /// <summary>Lets the cache evict the tree again.</summary>
    public void Dispose() => Interlocked.Exchange(ref release, null)?.Invoke();
}
