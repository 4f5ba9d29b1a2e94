namespace Ferry.Core.Status;

/// <summary>Where app status lives (a state directory locally, a blob container in Azure), with a per-app lease.</summary>
public interface IStatusStore
{
    /// <summary>Reads one app's status; null when never recorded.</summary>
    Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken);

    /// <summary>Reads one app's status with the store's version of it, for a conditional write; null when never recorded.</summary>
    Task<StoredStatus?> ReadAsync(string app, CancellationToken cancellationToken);

    /// <summary>Reads every recorded app, sorted by name.</summary>
    Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes one app's status atomically, whatever is stored.</summary>
    Task SaveAsync(AppStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one app's status only while the stored version is still <paramref name="expectedVersion"/> (null: only while none
    /// is stored); returns the new version, or null when another writer changed it first and nothing was written.
    /// </summary>
    Task<string?> TrySaveAsync(AppStatus status, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Tries to take the app's lease for <paramref name="duration"/>, renewed while held; null when another holder has it.</summary>
    Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken);
}
