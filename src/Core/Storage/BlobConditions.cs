namespace Ferry.Core.Storage;

/// <summary>Conditions on a blob write or delete: an ETag match, "only if absent", and the lease to write under.</summary>
public sealed record BlobConditions
{
    /// <summary>No condition: last writer wins.</summary>
    public static BlobConditions None { get; } = new();

    /// <summary>Write only when the blob does not exist yet (<c>If-None-Match: *</c>).</summary>
    public static BlobConditions IfNotExists { get; } = new() { IfNoneMatch = "*" };

    /// <summary>Sent as <c>If-Match</c>: write only when the blob still has this ETag.</summary>
    public string? IfMatch { get; init; }

    /// <summary>Sent as <c>If-None-Match</c> (<c>*</c>: only when absent).</summary>
    public string? IfNoneMatch { get; init; }

    /// <summary>Sent as <c>x-ms-lease-id</c>: required when the blob is leased.</summary>
    public string? LeaseId { get; init; }

    /// <summary>A condition on the ETag of a blob read earlier.</summary>
    public static BlobConditions ForETag(string etag) => new() { IfMatch = etag };
}
