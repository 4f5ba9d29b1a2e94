using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Core.Jobs;

/// <summary>Runs the pipeline for one queued job (the SyncWorker function's body): an app's sync or refresh, or a cluster's drift sweep.</summary>
public sealed partial class JobProcessor(AppReconciler reconciler, ILogger<JobProcessor>? logger = null, FleetSweep? sweep = null)
{
    /// <summary>The condition put on an app whose job went to the poison queue.</summary>
    public const string PoisonedCondition = "PoisonedJob";

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// Processes one job message. A sync's revision is a hint, the app's target revision decides what is deployed; a sync a person asked
    /// for (reason manual: the page's Sync button) applies whatever the automated policy, as <c>ferry sync</c> does; a rollback deploys the
    /// commit it names (the API takes it from the app's history), which the pipeline refuses while automated sync is on; a sweep compares
    /// every app on its cluster and hands those that need a sync to their own jobs.
    /// </summary>
    public async Task<ReconcileOutcome> ProcessAsync(JobMessage job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Kind == JobKind.Sweep)
        {
            if (sweep is null)
            {
                throw new InvalidOperationException("this worker was built without a drift sweep, but a sweep job arrived");
            }

            var swept = await sweep.RunAsync(job.Cluster!, job.DeliveryId, cancellationToken);
            return new ReconcileOutcome
            {
                Summary = $"swept {swept.Apps.Count} app(s) on {swept.Cluster}: {swept.Unchanged} unchanged, {swept.HandedOff.Count} handed to their own jobs, {swept.Lists} list(s)",
            };
        }

        return await reconciler.ReconcileAsync(job.Kind switch
        {
            JobKind.Rollback => new ReconcileRequest
            {
                App = job.App,
                Mode = ReconcileMode.ForceSync,
                Revision = job.Revision,
                Reason = AppReconciler.RollbackReason,
                DeliveryId = job.DeliveryId,
            },
            _ => new ReconcileRequest
            {
                App = job.App,
                Mode = job.Kind == JobKind.Refresh ? ReconcileMode.Refresh : job.Reason == JobReason.Manual ? ReconcileMode.ForceSync : ReconcileMode.Sync,
                RevisionHint = job.Revision,
                Reason = job.Reason.ToString().ToLowerInvariant(),
                DeliveryId = job.DeliveryId,
            },
        }, cancellationToken);
    }

    /// <summary>Logs a job that used its last attempt (the queue moves it to the poison queue) and shows it on the app until a sync succeeds.</summary>
    public async Task RecordPoisonedAsync(JobMessage job, long attempts, string? lastError, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var kind = job.Kind.ToString().ToLowerInvariant();
        var reason = job.Reason.ToString().ToLowerInvariant();
        var revision = job.Revision ?? "the app's target revision";
        var message = $"{kind} job {job.DeliveryId} (reason {reason}, revision {revision}) moved to the poison queue after {attempts} attempts"
            + (string.IsNullOrEmpty(lastError) ? string.Empty : $": {lastError}");
        LogPoisoned(_logger, job.App, kind, job.DeliveryId, reason, revision, attempts, lastError ?? string.Empty);
        if (job.Kind == JobKind.Sweep)
        {
            // No app to mark: the next timer tick sweeps the cluster again.
            return;
        }

        await reconciler.RecordConditionAsync(job.App, PoisonedCondition, message, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "App {App}: {Kind} job {DeliveryId} (reason {Reason}, revision {Revision}) moved to the poison queue after {Attempts} attempts: {Error}")]
    private static partial void LogPoisoned(ILogger logger, string app, string kind, string deliveryId, string reason, string revision, long attempts, string error);
}
