namespace Ferry.Core.Storage;

/// <summary>A conditional write lost: the ETag changed, the blob already exists, or a lease is held by someone else or missing (HTTP 412, or 409 for those codes).</summary>
public sealed class StoragePreconditionFailedException(string subject, int status, string? errorCode, string? detail)
    : StorageException(subject, status, errorCode, detail);
