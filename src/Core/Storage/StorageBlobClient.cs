using System.Globalization;
using System.Net;

namespace Ferry.Core.Storage;

/// <summary>One Azure Storage blob container over the REST API: block blobs with ETag conditions, listings, leases.</summary>
public sealed class StorageBlobClient
{
    private static readonly TimeSpan MinLease = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxLease = TimeSpan.FromSeconds(60);

    private readonly StorageHttpPipeline pipeline;
    private readonly Uri endpoint;

    /// <summary>Creates a client for the named container; the HttpClient is borrowed, not disposed.</summary>
    public StorageBlobClient(StorageConnection connection, string containerName, HttpClient httpClient, StorageClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        pipeline = new StorageHttpPipeline(connection, httpClient, options, timeProvider);
        endpoint = connection.BlobEndpoint;
        ContainerName = containerName;
    }

    /// <summary>The container's name.</summary>
    public string ContainerName { get; }

    /// <summary>Creates the container (private access); false when it already existed.</summary>
    public async Task<bool> CreateContainerIfNotExistsAsync(CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Put, Uri(ContainerName, ("restype", "container")));
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.Conflict when response.ErrorCode == "ContainerAlreadyExists" => false,
            _ => throw response.ToException(request),
        };
    }

    /// <summary>Deletes the container and everything in it; false when it did not exist.</summary>
    public async Task<bool> DeleteContainerIfExistsAsync(CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Delete, Uri(ContainerName, ("restype", "container")));
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.NotFound ? false : response.EnsureSuccess(request) is not null;
    }

    /// <summary>Downloads a blob; null when it does not exist.</summary>
    public async Task<BlobContent?> GetBlobAsync(string blobName, CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Get, BlobUri(blobName));
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccess(request);
        return new BlobContent
        {
            Content = response.Body,
            ETag = response.RequiredHeader(request, "ETag"),
            ContentType = response.Header("Content-Type"),
            LastModified = response.Header("Last-Modified") is { } modified ? Date(modified) : null,
        };
    }

    /// <summary>Writes a whole block blob under <paramref name="conditions"/> and returns the new ETag; a lost condition throws <see cref="StoragePreconditionFailedException"/>.</summary>
    public async Task<string> UploadBlobAsync(string blobName, ReadOnlyMemory<byte> content, BlobConditions? conditions, string? contentType, CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Put, BlobUri(blobName))
        {
            Content = content.ToArray(),
            ContentType = contentType ?? "application/octet-stream",
        };
        request.WithHeader("x-ms-blob-type", "BlockBlob");
        Apply(request, conditions);
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        return response.RequiredHeader(request, "ETag");
    }

    /// <summary>Deletes a blob under <paramref name="conditions"/>; false when it did not exist.</summary>
    public async Task<bool> DeleteBlobAsync(string blobName, BlobConditions? conditions, CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Delete, BlobUri(blobName));
        Apply(request, conditions);
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status == HttpStatusCode.NotFound ? false : response.EnsureSuccess(request) is not null;
    }

    /// <summary>One page of the blobs whose names start with <paramref name="prefix"/>, starting at <paramref name="marker"/>.</summary>
    public async Task<BlobPage> ListBlobsPageAsync(string? prefix, string? marker, int? maxResults, CancellationToken cancellationToken)
    {
        var request = new StorageRequest(HttpMethod.Get, Uri(ContainerName,
            ("restype", "container"), ("comp", "list"),
            ("prefix", string.IsNullOrEmpty(prefix) ? null : prefix),
            ("marker", string.IsNullOrEmpty(marker) ? null : marker),
            ("maxresults", maxResults?.ToString(CultureInfo.InvariantCulture))));
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        var root = response.ReadXml(request).Root;
        var items = new List<BlobItem>();
        foreach (var blob in root?.Element("Blobs")?.Elements("Blob") ?? [])
        {
            var properties = blob.Element("Properties");
            items.Add(new BlobItem
            {
                Name = blob.Element("Name")?.Value ?? throw new StorageException(request.Subject, (int)response.Status, null, "a listed blob has no Name"),
                ETag = properties?.Element("Etag")?.Value ?? string.Empty,
                ContentLength = long.TryParse(properties?.Element("Content-Length")?.Value, CultureInfo.InvariantCulture, out var length) ? length : 0,
                LastModified = properties?.Element("Last-Modified")?.Value is { } modified ? Date(modified) : null,
            });
        }

        var next = root?.Element("NextMarker")?.Value;
        return new BlobPage { Items = items, NextMarker = string.IsNullOrEmpty(next) ? null : next };
    }

    /// <summary>Every blob whose name starts with <paramref name="prefix"/>, following the pages.</summary>
    public async Task<IReadOnlyList<BlobItem>> ListBlobsAsync(string? prefix, CancellationToken cancellationToken)
    {
        var all = new List<BlobItem>();
        string? marker = null;
        do
        {
            var page = await ListBlobsPageAsync(prefix, marker, null, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            marker = page.NextMarker;
        }
        while (marker is not null);

        return all;
    }

    /// <summary>Acquires a lease of 15–60 s (or <see cref="Timeout.InfiniteTimeSpan"/>) on an existing blob; null when another holder has it.</summary>
    public async Task<BlobLease?> TryAcquireLeaseAsync(string blobName, TimeSpan duration, string? proposedLeaseId, CancellationToken cancellationToken)
    {
        var seconds = duration == Timeout.InfiniteTimeSpan
            ? "-1"
            : duration >= MinLease && duration <= MaxLease && duration.Ticks % TimeSpan.TicksPerSecond == 0
                ? ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture)
                : throw new ArgumentOutOfRangeException(nameof(duration), duration, "a blob lease lasts 15 to 60 whole seconds, or is infinite");

        var request = LeaseRequest(blobName, "acquire")
            .WithHeader("x-ms-lease-duration", seconds)
            .WithHeader("x-ms-proposed-lease-id", proposedLeaseId);
        var response = await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.Conflict && response.ErrorCode is "LeaseAlreadyPresent" or "LeaseIsBreakingAndCannotBeAcquired")
        {
            return null;
        }

        response.EnsureSuccess(request);
        return new BlobLease { BlobName = blobName, LeaseId = response.RequiredHeader(request, "x-ms-lease-id"), Duration = duration };
    }

    /// <summary>Renews a lease for its original duration; throws <see cref="StoragePreconditionFailedException"/> when it was lost.</summary>
    public async Task RenewLeaseAsync(BlobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var request = LeaseRequest(lease.BlobName, "renew").WithHeader("x-ms-lease-id", lease.LeaseId);
        (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
    }

    /// <summary>Releases a lease so another holder can acquire it at once.</summary>
    public async Task ReleaseLeaseAsync(BlobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var request = LeaseRequest(lease.BlobName, "release").WithHeader("x-ms-lease-id", lease.LeaseId);
        (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
    }

    /// <summary>Breaks whatever lease is on the blob, after <paramref name="breakPeriod"/> (null: the lease's remaining time); returns the time until it is broken.</summary>
    public async Task<TimeSpan> BreakLeaseAsync(string blobName, TimeSpan? breakPeriod, CancellationToken cancellationToken)
    {
        var request = LeaseRequest(blobName, "break")
            .WithHeader("x-ms-lease-break-period", breakPeriod is null ? null : ((int)breakPeriod.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        var response = (await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false)).EnsureSuccess(request);
        return int.TryParse(response.Header("x-ms-lease-time"), CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
    }

    private StorageRequest LeaseRequest(string blobName, string action) =>
        new StorageRequest(HttpMethod.Put, BlobUri(blobName, ("comp", "lease"))).WithHeader("x-ms-lease-action", action);

    private static void Apply(StorageRequest request, BlobConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }

        request.WithHeader("If-Match", conditions.IfMatch)
            .WithHeader("If-None-Match", conditions.IfNoneMatch)
            .WithHeader("x-ms-lease-id", conditions.LeaseId);
    }

    private Uri BlobUri(string blobName, params (string Name, string? Value)[] query)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        return Uri($"{ContainerName}/{blobName}", query);
    }

    private Uri Uri(string path, params (string Name, string? Value)[] query) => StorageHttpPipeline.BuildUri(endpoint, path, query);

    private static DateTimeOffset Date(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
