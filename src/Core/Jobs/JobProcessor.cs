namespace Ferry.Core.Jobs;

/// <summary>Runs the pipeline for one queued job (the SyncWorker function's body).</summary>
public sealed class JobProcessor(AppReconciler reconciler)
{
    /// <summary>Processes one job message.</summary>
    public Task<ReconcileOutcome> ProcessAsync(JobMessage job, CancellationToken cancellationToken) =>
        reconciler.ReconcileAsync(new ReconcileRequest
        {
            App = job.App,
            Mode = job.Kind == JobKind.Sync ? ReconcileMode.Sync : ReconcileMode.Refresh,
            Revision = job.Revision,
            Reason = job.Reason.ToString().ToLowerInvariant(),
            DeliveryId = job.DeliveryId,
        }, cancellationToken);
}
