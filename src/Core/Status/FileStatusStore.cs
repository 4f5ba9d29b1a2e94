using System.Text.Json;

namespace Ferry.Core.Status;

/// <summary>Status as one JSON file per app under a state directory, written atomically; leases are lock files with an expiry.</summary>
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
    public async Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken)
    {
        var path = StatusPath(app);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await JsonSerializer.DeserializeAsync<AppStatus>(stream, StatusJson.Options, cancellationToken);
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
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            await JsonSerializer.SerializeAsync(stream, status, StatusJson.Options, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
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
                    writer.Write($"{holder} {_time.GetUtcNow().Add(duration).ToUnixTimeMilliseconds()}");
                }

                return Task.FromResult<IAppLease?>(new FileLease(this, app, path, holder, duration));
            }
            catch (IOException) when (File.Exists(path))
            {
                // A crashed holder's lease expires: take it over only when its deadline has passed.
                if (!IsExpired(path))
                {
                    return Task.FromResult<IAppLease?>(null);
                }

                TryDelete(path);
            }
        }

        return Task.FromResult<IAppLease?>(null);
    }

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


    private sealed class FileLease(FileStatusStore store, string app, string path, string holder, TimeSpan duration) : IAppLease
    {
        public string App => app;

        public Task RenewAsync(CancellationToken cancellationToken)
        {
            var text = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
            if (!text.StartsWith(holder, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the lease on app '{app}' was lost to another holder");
            }

            var temp = $"{path}.{holder}.tmp";
            File.WriteAllText(temp, $"{holder} {store._time.GetUtcNow().Add(duration).ToUnixTimeMilliseconds()}");
            File.Move(temp, path, overwrite: true);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                if (File.Exists(path) && File.ReadAllText(path).StartsWith(holder, StringComparison.Ordinal))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // Released by expiry already; nothing to do.
            }

            return ValueTask.CompletedTask;
        }
    }
}
