using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>One finished reconcile: the request, the recorded status, whether it applied, and how long it took.</summary>
public sealed record ReconcileEvent(ReconcileRequest Request, AppStatus Status, bool Applied, TimeSpan Duration)
{
    /// <summary>The app's recorded status before this reconcile (null for its first); with <see cref="Status"/> it tells what changed, across restarts.</summary>
    public AppStatus? Previous { get; init; }

    /// <summary>Time from the job being enqueued to the reconcile finishing, when known.</summary>
    public TimeSpan? QueueLatency { get; init; }
}
