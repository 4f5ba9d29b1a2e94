namespace Ferry.Core.Sync;

/// <summary>The manifests cannot be planned (unknown kind, missing namespace, forbidden object); nothing was applied.</summary>
public sealed class SyncPlanException(string message) : Exception(message);
