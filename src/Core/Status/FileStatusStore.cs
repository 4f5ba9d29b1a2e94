using System.Security.Cryptography;
using System.Text.Json;

namespace Ferry.Core.Status;

/// <summary>
/// Status as one JSON file per app under a state directory, written atomically (a conditional write compares the file's content
/// hash under an exclusive lock file); leases are lock files with an expiry, renewed while held, so a killed holder's lapses.
/// </summary>
public sealed class FileStatusStore : IStatusStore
{
    private readonly string _directory;
    private readonly TimeProvider _time;

    /// <summary>Creates a store under <paramref name="stateDirectory"/>/apps.</summary>
    public FileStatusStore(string stateDirectory, TimeProvider? time = null)
    {
        _directory = Path.Combine(Path.GetFullPath(stateDirectory), "apps");
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(_directory);
    }

    /// <inheritdoc/>
    public async Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken) =>
        (await ReadAsync(app, cancellationToken))?.Status;

    /// <inheritdoc/>
    public async Task<StoredStatus?> ReadAsync(string app, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(StatusPath(app), cancellationToken);
        return bytes is null || JsonSerializer.Deserialize<AppStatus>(bytes, StatusJson.Options) is not { } status
            ? null
            : new StoredStatus(status, VersionOf(bytes));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<AppStatus>();
        foreach (var file in Directory.EnumerateFiles(_directory, "*.json").Order(StringComparer.Ordinal))
        {
            var app = Path.GetFileNameWithoutExtension(file);
            if (await GetAsync(app, cancellationToken) is { } status)
            {
                result.Add(status);
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(AppStatus status, CancellationToken cancellationToken)
    {
        var path = StatusPath(status.Name);
        await using var held = await LockAsync(path, cancellationToken);
        await WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(status, StatusJson.Options), cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<string?> TrySaveAsync(AppStatus status, string? expectedVersion, CancellationToken cancellationToken)
    {
        var path = StatusPath(status.Name);
        await using var held = await LockAsync(path, cancellationToken);
        var current = await ReadBytesAsync(path, cancellationToken);
        if ((current is null ? null : VersionOf(current)) != expectedVersion)
        {
            return null;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(status, StatusJson.Options);
        await WriteAsync(path, bytes, cancellationToken);
        return VersionOf(bytes);
    }

    /// <inheritdoc/>
    public Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_directory, $"{AppName.Validate(app)}.lease");
        var holder = Guid.NewGuid().ToString("N");
        // Every look at and change of a lease file happens under the OS lock, so two takers never both win.
        using (LockSync(path))
        {
            // A crashed holder stops renewing: its lease is taken over only once the deadline has passed.
            if (ReadLease(path) is { } current && current.Expiry >= _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                return Task.FromResult<IAppLease?>(null);
            }

            WriteLease(path, holder, duration);
        }

        return Task.FromResult<IAppLease?>(new FileLease(this, app, path, holder, duration));
    }

    private void WriteLease(string path, string holder, TimeSpan duration)
    {
        var temp = $"{path}.{holder}.tmp";
        File.WriteAllText(temp, $"{holder} {_time.GetUtcNow().Add(duration).ToUnixTimeMilliseconds()}");
        File.Move(temp, path, overwrite: true);
    }

    private static (string Holder, long Expiry)? ReadLease(string path)
    {
        try
        {
            var parts = File.ReadAllText(path).Split(' ');
            return parts.Length == 2 && long.TryParse(parts[1], out var expiry) ? (parts[0], expiry) : (parts[0], long.MinValue);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temp, bytes, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Holds the app's write lock file exclusively (an OS lock, released when the process dies) for one read-compare-write.</summary>
    private static async Task<FileStream> LockAsync(string statusPath, CancellationToken cancellationToken)
    {
        var path = statusPath + ".lock";
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another writer holds it for the few milliseconds of one write.
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
            }
        }
    }

    /// <summary>The same exclusive lock as <see cref="LockAsync"/>, taken synchronously (lease renewal runs on a timer tick).</summary>
    private static FileStream LockSync(string guardedPath)
    {
        var path = guardedPath + ".lock";
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                Thread.Sleep(1);
            }
        }
    }

    private static string VersionOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private string StatusPath(string app) => Path.Combine(_directory, $"{AppName.Validate(app)}.json");


    private sealed class FileLease : IAppLease
    {
        private readonly FileStatusStore _store;
        private readonly string _path;
        private readonly string _holder;
        private readonly TimeSpan _duration;
        private readonly LeaseRenewal _renewal;

        public FileLease(FileStatusStore store, string app, string path, string holder, TimeSpan duration)
        {
            _store = store;
            _path = path;
            _holder = holder;
            _duration = duration;
            App = app;
            _renewal = new LeaseRenewal(store._time, duration, RenewAsync);
        }

        public string App { get; }

        public Task RenewAsync(CancellationToken cancellationToken)
        {
            // Synchronous on purpose: the renewal timer's tick has renewed the lease by the time it returns.
            using (LockSync(_path))
            {
                if (ReadLease(_path)?.Holder != _holder)
                {
                    throw new InvalidOperationException($"the lease on app '{App}' was lost to another holder");
                }

                _store.WriteLease(_path, _holder, _duration);
            }

            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            await _renewal.DisposeAsync();
            using (LockSync(_path))
            {
                // Released by expiry and taken over already: the file is the new holder's.
                if (ReadLease(_path)?.Holder == _holder)
                {
                    File.Delete(_path);
                }
            }
        }
    }
}
