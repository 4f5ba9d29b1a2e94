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
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(LeaseText(holder, duration));
                }

                return Task.FromResult<IAppLease?>(new FileLease(this, app, path, holder, duration));
            }
            catch (IOException) when (File.Exists(path))
            {
                // A crashed holder stops renewing: take its lease over only once the deadline has passed.
                if (!IsExpired(path))
                {
                    return Task.FromResult<IAppLease?>(null);
                }

                TryDelete(path);
            }
        }

        return Task.FromResult<IAppLease?>(null);
    }

    private string LeaseText(string holder, TimeSpan duration) => $"{holder} {_time.GetUtcNow().Add(duration).ToUnixTimeMilliseconds()}";

    private bool IsExpired(string path)
    {
        try
        {
            var parts = File.ReadAllText(path).Split(' ');
            return parts.Length != 2 || !long.TryParse(parts[1], out var expiry) || expiry < _time.GetUtcNow().ToUnixTimeMilliseconds();
        }
        catch (FileNotFoundException)
        {
            return true;
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

    private static string VersionOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Another process won the race to take over; the next attempt sees its lease.
        }
    }

    private string StatusPath(string app) => Path.Combine(_directory, $"{AppName.Validate(app)}.json");


    private sealed class FileLease : IAppLease
    {
        private readonly FileStatusStore _store;
        private readonly string _path;
        private readonly string _holder;
        private readonly TimeSpan _duration;
        private readonly object _gate = new();
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
            lock (_gate)
            {
                var text = File.Exists(_path) ? File.ReadAllText(_path) : string.Empty;
                if (!text.StartsWith(_holder, StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the lease on app '{App}' was lost to another holder");
                }

                var temp = $"{_path}.{_holder}.tmp";
                File.WriteAllText(temp, _store.LeaseText(_holder, _duration));
                File.Move(temp, _path, overwrite: true);
            }

            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            await _renewal.DisposeAsync();
            try
            {
                if (File.Exists(_path) && File.ReadAllText(_path).StartsWith(_holder, StringComparison.Ordinal))
                {
                    File.Delete(_path);
                }
            }
            catch (IOException)
            {
                // Released by expiry already; nothing to do.
            }
        }
    }
}
