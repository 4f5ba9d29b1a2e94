namespace Ferry.Core.Storage;

/// <summary>A downloaded blob: its bytes and the ETag to make the next write conditional on.</summary>
public sealed record BlobContent
{
    /// <summary>The blob's bytes.</summary>
    public required ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>The ETag as the service sent it (quoted); pass it to <see cref="BlobConditions.IfMatch"/>.</summary>
    public required string ETag { get; init; }

    /// <summary>The stored content type, when one was set.</summary>
    public string? ContentType { get; init; }

    /// <summary>When the blob was last written.</summary>
    public DateTimeOffset? LastModified { get; init; }
}
