using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>Tuning of the pipeline; defaults suit one Functions worker.</summary>
public sealed record AppReconcilerOptions
{
    /// <summary>Concurrent API requests per sync.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>How long a wave may take to become healthy.</summary>
    public TimeSpan WaveTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Health poll interval while waiting for a wave.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a per-app lease lasts unrenewed: the holder renews it while a sync runs, so a killed holder blocks the app for at most this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a request that waits for the lease waits.</summary>
    public TimeSpan LeaseWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Retry delay when the app is locked.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Retry delay after a transient failure (Git or cluster unreachable).</summary>
    public TimeSpan TransientRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lua health scripts from Ferry's settings (<c>FERRY_RESOURCE_CUSTOMIZATIONS</c>); an <c>argocd-cm</c> in the catalog overrides them key by key.</summary>
    public ResourceCustomizations ResourceCustomizations { get; init; } = ResourceCustomizations.None;

    /// <summary>Told about each object as a sync handles it.</summary>
    public IProgress<ResourceStatus>? Progress { get; init; }
}
