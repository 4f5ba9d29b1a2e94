namespace Ferry.Core.Storage;

/// <summary>A lease held on a blob: whoever holds the id may write it until the lease expires or is released.</summary>
public sealed record BlobLease
{
    /// <summary>The leased blob.</summary>
    public required string BlobName { get; init; }

    /// <summary>The lease id to send with writes, renewals and the release.</summary>
    public required string LeaseId { get; init; }

    /// <summary>The lease duration; <see cref="Timeout.InfiniteTimeSpan"/> for an infinite lease.</summary>
    public required TimeSpan Duration { get; init; }
}
