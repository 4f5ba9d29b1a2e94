namespace Ferry.Core.Status;

/// <summary>A held per-app lock; disposing releases it. Expires on its own if the holder crashes.</summary>
public interface IAppLease : IAsyncDisposable
{
    /// <summary>The app the lease is for.</summary>
    string App { get; }

    /// <summary>Extends the lease; throws when it was lost to another holder.</summary>
    Task RenewAsync(CancellationToken cancellationToken);
}
