using System.Text.Json;
using Ferry.Core.Storage;

namespace Ferry.Core.Status;

/// <summary>
/// Status as one JSON blob per app (<c>apps/&lt;name&gt;.json</c>) in the <c>ferry-status</c> container; the per-app lock is
/// a blob lease on <c>leases/&lt;name&gt;</c>, renewed while held and released on dispose, so a crashed worker's lock expires.
/// </summary>
public sealed class BlobStatusStore(StorageBlobClient blobs, TimeProvider? time = null) : IStatusStore
{
    /// <summary>The container Ferry's infrastructure creates.</summary>
    public const string DefaultContainer = "ferry-status";

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Creates the container when missing.</summary>
    public Task EnsureAsync(CancellationToken cancellationToken) => blobs.CreateContainerIfNotExistsAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken)
    {
        var blob = await blobs.GetBlobAsync(StatusBlob(app), cancellationToken);
        return blob is null ? null : JsonSerializer.Deserialize<AppStatus>(blob.Content.Span, StatusJson.Options);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var items = await blobs.ListBlobsAsync("apps/", cancellationToken);
        var statuses = new List<AppStatus>();
        foreach (var item in items.Where(i => i.Name.EndsWith(".json", StringComparison.Ordinal)).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            if (await blobs.GetBlobAsync(item.Name, cancellationToken) is { } blob
                && JsonSerializer.Deserialize<AppStatus>(blob.Content.Span, StatusJson.Options) is { } status)
            {
                statuses.Add(status);
            }
        }

        statuses.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return statuses;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(AppStatus status, CancellationToken cancellationToken)
    {
        // Writers hold the app's lease, so a plain overwrite cannot lose another worker's update.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(status, StatusJson.Options);
        await blobs.UploadBlobAsync(StatusBlob(status.Name), bytes, BlobConditions.None, "application/json", cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken)
    {
        var name = $"leases/{AppName.Validate(app)}";
        try
        {
            await blobs.UploadBlobAsync(name, ReadOnlyMemory<byte>.Empty, BlobConditions.IfNotExists, "text/plain", cancellationToken);
        }
        catch (StoragePreconditionFailedException)
        {
            // The lock blob exists already (possibly leased); the lease call decides.
        }

        var lease = await blobs.TryAcquireLeaseAsync(name, LeaseDuration, null, cancellationToken);
        return lease is null ? null : new BlobAppLease(blobs, app, lease, _time);
    }

    private static string StatusBlob(string app) => $"apps/{AppName.Validate(app)}.json";


    private sealed class BlobAppLease : IAppLease
    {
        private readonly StorageBlobClient _blobs;
        private readonly BlobLease _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public BlobAppLease(StorageBlobClient blobs, string app, BlobLease lease, TimeProvider time)
        {
            _blobs = blobs;
            _lease = lease;
            App = app;
            _renewal = RenewLoopAsync(time);
        }

        public string App { get; }

        public Task RenewAsync(CancellationToken cancellationToken) => _blobs.RenewLeaseAsync(_lease, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            try
            {
                await _blobs.ReleaseLeaseAsync(_lease, CancellationToken.None);
            }
            catch (StorageException)
            {
                // Already expired or broken: the lock is free either way.
            }

            _stop.Dispose();
        }

        // A sync can outlive one 60 s lease; keep it while the holder is alive, let it lapse if the process dies.
        private async Task RenewLoopAsync(TimeProvider time)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(_lease.Duration / 3, time, _stop.Token);
                    await _blobs.RenewLeaseAsync(_lease, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (StorageException)
            {
                // Lost the lease; the next write under it fails loudly enough.
            }
        }
    }
}
