namespace Ferry.Core.Storage;

/// <summary>One page of a blob listing and the marker of the next page.</summary>
public sealed record BlobPage
{
    /// <summary>The blobs on this page, in the service's (ordinal) name order.</summary>
    public required IReadOnlyList<BlobItem> Items { get; init; }

    /// <summary>The marker to pass for the next page; null on the last page.</summary>
    public string? NextMarker { get; init; }
}
