namespace Ferry.Core.Status;

/// <summary>Where app status lives (a state directory locally, a blob container in Azure), with a per-app lease.</summary>
public interface IStatusStore
{
    /// <summary>Reads one app's status; null when never recorded.</summary>
    Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken);

    /// <summary>Reads every recorded app, sorted by name.</summary>
    Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes one app's status atomically.</summary>
    Task SaveAsync(AppStatus status, CancellationToken cancellationToken);

    /// <summary>Tries to take the app's lease for <paramref name="duration"/>; null when another holder has it.</summary>
    Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken);
}
