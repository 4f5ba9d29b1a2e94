namespace Ferry.Core.Storage;

/// <summary>One blob in a listing.</summary>
public sealed record BlobItem
{
    /// <summary>The blob's full name within its container.</summary>
    public required string Name { get; init; }

    /// <summary>The blob's current ETag.</summary>
    public required string ETag { get; init; }

    /// <summary>The blob's size in bytes.</summary>
    public long ContentLength { get; init; }

    /// <summary>When the blob was last written.</summary>
    public DateTimeOffset? LastModified { get; init; }
}
