using System.Net;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Ferry.Core.Status;

/// <summary>
/// Status as one JSON blob per app (<c>apps/&lt;name&gt;.json</c>) in the <c>ferry-status</c> container, versioned by ETag
/// for conditional writes; the per-app lock is a 60 s blob lease on <c>leases/&lt;name&gt;</c>, renewed while held and released on
/// dispose, so a crashed worker's lock lapses within a minute.
/// </summary>
public sealed class BlobStatusStore(BlobContainerClient container, TimeProvider? time = null) : IStatusStore
{
    /// <summary>The container Ferry's infrastructure creates.</summary>
    public const string DefaultContainer = "ferry-status";

    /// <summary>The blob lease's duration (Azure allows 15–60 s or infinite); renewed every third of it while a sync runs.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Creates the container when missing.</summary>
    public async Task EnsureAsync(CancellationToken cancellationToken) =>
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    /// <inheritdoc/>
    public async Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken) =>
        (await ReadAsync(app, cancellationToken))?.Status;

    /// <inheritdoc/>
    public async Task<StoredStatus?> ReadAsync(string app, CancellationToken cancellationToken)
    {
        try
        {
            var content = await container.GetBlobClient(StatusBlob(app)).DownloadContentAsync(cancellationToken);
            return JsonSerializer.Deserialize<AppStatus>(content.Value.Content.ToMemory().Span, StatusJson.Options) is { } status
                ? new StoredStatus(status, content.Value.Details.ETag.ToString())
                : null;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = "apps/" }, cancellationToken))
        {
            if (item.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                names.Add(item.Name["apps/".Length..^".json".Length]);
            }
        }

        var statuses = new List<AppStatus>();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (await GetAsync(name, cancellationToken) is { } status)
            {
                statuses.Add(status);
            }
        }

        statuses.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return statuses;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(AppStatus status, CancellationToken cancellationToken) =>
        await UploadAsync(status, new BlobRequestConditions(), cancellationToken);

    /// <inheritdoc/>
    public async Task<string?> TrySaveAsync(AppStatus status, string? expectedVersion, CancellationToken cancellationToken)
    {
        var conditions = expectedVersion is null
            ? new BlobRequestConditions { IfNoneMatch = ETag.All }
            : new BlobRequestConditions { IfMatch = new ETag(expectedVersion) };
        try
        {
            return await UploadAsync(status, conditions, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Blob leases have fixed lengths, so <paramref name="duration"/> is not used: the lease is always <see cref="LeaseDuration"/>, renewed while held.</remarks>
    public async Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient($"leases/{AppName.Validate(app)}");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            // The lock blob exists already (possibly leased); the lease call decides.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }

        return new BlobAppLease(lease, app, _time);
    }

    private async Task<string> UploadAsync(AppStatus status, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(StatusBlob(status.Name));
        var options = new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        var info = await blob.UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(status, StatusJson.Options)), options, cancellationToken);
        return info.Value.ETag.ToString();
    }

    private static string StatusBlob(string app) => $"apps/{AppName.Validate(app)}.json";


    private sealed class BlobAppLease : IAppLease
    {
        private readonly BlobLeaseClient _lease;
        private readonly LeaseRenewal _renewal;

        public BlobAppLease(BlobLeaseClient lease, string app, TimeProvider time)
        {
            _lease = lease;
            App = app;
            _renewal = new LeaseRenewal(time, LeaseDuration, RenewAsync);
        }

        public string App { get; }

        public async Task RenewAsync(CancellationToken cancellationToken) => await _lease.RenewAsync(cancellationToken: cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _renewal.DisposeAsync();
            try
            {
                await _lease.ReleaseAsync(cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException)
            {
                // Already lapsed or taken over: the lock is not ours to release.
            }
        }
    }
}
