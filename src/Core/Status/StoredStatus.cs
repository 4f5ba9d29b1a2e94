namespace Ferry.Core.Status;

/// <summary>An app's status as stored, with the store's version of it (a blob ETag, a file content hash) for conditional writes.</summary>
public sealed record StoredStatus(AppStatus Status, string Version);
