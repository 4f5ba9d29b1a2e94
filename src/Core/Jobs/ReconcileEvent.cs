using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>One finished reconcile: the request, the recorded status, whether it applied, and how long it took.</summary>
public sealed record ReconcileEvent(ReconcileRequest Request, AppStatus Status, bool Applied, TimeSpan Duration)
{
    /// <summary>Time from the job being enqueued to the reconcile finishing, when known.</summary>
    public TimeSpan? QueueLatency { get; init; }
}
