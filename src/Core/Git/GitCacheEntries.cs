namespace Ferry.Core.Git;

/// <summary>
/// The cache's bookkeeping: the size and last use of every bare repository and tree folder, the trees in use, and eviction of the
/// least recently used entries not in use once the total passes the budget. Use order is a counter, not a clock, so eviction is
/// deterministic; entries left by an earlier process are ordered by their folders' modification times.
/// </summary>
internal sealed class GitCacheEntries(string root, long maxBytes, Func<string, Action?> tryLockRepository)
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long clock;
    private bool scanned;

    /// <summary>Leases an existing tree folder (also one another process created); null when there is none.</summary>
    public Action? TryLease(string tree)
    {
        lock (sync)
        {
            ScanOnce();
            if (!entries.TryGetValue(tree, out var entry))
            {
                if (!Directory.Exists(tree))
                {
                    return null;
                }

                entry = Register(tree, isRepository: false, DirectorySize(tree));
            }

            return Lease(entry);
        }
    }

    /// <summary>Records a tree folder just written, leased by the caller.</summary>
    public Action AddLeased(string tree, long bytes)
    {
        lock (sync)
        {
            ScanOnce();
            return Lease(entries.GetValueOrDefault(tree) ?? Register(tree, isRepository: false, bytes));
        }
    }

    /// <summary>Marks a repository used; measures it again when it may have grown.</summary>
    public void TouchRepository(string gitDir, bool measure)
    {
        lock (sync)
        {
            ScanOnce();
            if (!entries.TryGetValue(gitDir, out var entry))
            {
                entry = Register(gitDir, isRepository: true, DirectorySize(gitDir));
            }
            else if (measure)
            {
                entry.Bytes = DirectorySize(gitDir);
            }

            entry.LastUsed = ++clock;
        }
    }

    /// <summary>The total size the cache accounts for.</summary>
    public long TotalBytes
    {
        get
        {
            lock (sync)
            {
                return entries.Values.Sum(e => e.Bytes);
            }
        }
    }

    /// <summary>Evicts least recently used entries that are neither leased nor locked until the cache fits its budget.</summary>
    public void EvictOverBudget()
    {
        var doomed = new List<string>();
        lock (sync)
        {
            ScanOnce();
            var total = entries.Values.Sum(e => e.Bytes);
            foreach (var entry in entries.Values.OrderBy(e => e.LastUsed).ToList())
            {
                if (total <= maxBytes)
                {
                    break;
                }

                if (entry.Leases > 0)
                {
                    continue;
                }

                var unlock = entry.IsRepository ? tryLockRepository(entry.Path) : () => { };
                if (unlock is null)
                {
                    continue;
                }

                try
                {
                    // Moved aside at once (an atomic rename), deleted after the lock is let go.
                    var trash = Path.Combine(root, "trash", Guid.NewGuid().ToString("N"));
                    Directory.CreateDirectory(Path.GetDirectoryName(trash)!);
                    if (Directory.Exists(entry.Path))
                    {
                        Directory.Move(entry.Path, trash);
                        doomed.Add(trash);
                    }
                }
                finally
                {
                    unlock();
                }

                total -= entry.Bytes;
                entries.Remove(entry.Path);
            }
        }

        foreach (var folder in doomed)
        {
            DeleteQuietly(folder);
        }
    }

    private Action Lease(Entry entry)
    {
        entry.Leases++;
        entry.LastUsed = ++clock;
        return () =>
        {
            lock (sync)
            {
                entry.Leases--;
            }
        };
    }

    private Entry Register(string path, bool isRepository, long bytes)
    {
        var entry = new Entry(path, isRepository) { Bytes = bytes, LastUsed = ++clock };
        entries[path] = entry;
        return entry;
    }

    private void ScanOnce()
    {
        if (scanned)
        {
            return;
        }

        scanned = true;
        DeleteQuietly(Path.Combine(root, "trash"));
        var found = new List<(string Path, bool IsRepository, DateTime Modified)>();
        var repos = new DirectoryInfo(Path.Combine(root, "repos"));
        if (repos.Exists)
        {
            found.AddRange(repos.EnumerateDirectories().Where(d => !d.Name.Contains(".tmp-", StringComparison.Ordinal)).Select(d => (d.FullName, true, d.LastWriteTimeUtc)));
        }

        var trees = new DirectoryInfo(Path.Combine(root, "trees"));
        if (trees.Exists)
        {
            found.AddRange(trees.EnumerateDirectories().SelectMany(r => r.EnumerateDirectories())
                .Where(d => !d.Name.StartsWith(".tmp-", StringComparison.Ordinal))
                .Select(d => (d.FullName, false, d.LastWriteTimeUtc)));
        }

        foreach (var (path, isRepository, _) in found.OrderBy(f => f.Modified).ThenBy(f => f.Path, StringComparer.Ordinal))
        {
            Register(path, isRepository, DirectorySize(path));
        }
    }

    private static long DirectorySize(string folder)
    {
        var info = new DirectoryInfo(folder);
        return info.Exists
            ? info.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }).Sum(f => f.Length)
            : 0;
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the next process's start-up sweep.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    private sealed class Entry(string path, bool isRepository)
    {
        public string Path { get; } = path;

        public bool IsRepository { get; } = isRepository;

        public long Bytes { get; set; }

        public long LastUsed { get; set; }

        public int Leases { get; set; }
    }
}
