using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Core.Jobs;

/// <summary>
/// A drift sweep of one cluster (the sweep job's body): compares every app on it in one pass, with one listing of each repository's
/// references, one fetch per revision (the Git cache's trees) and one list per (resource, namespace) shared by all of them. An app in
/// sync costs no write and no request of its own; an app whose policy asks for a sync, or whose comparison failed, gets its own refresh
/// job, so syncs keep their lease, fresh reads and the queue's retries.
/// </summary>
public sealed partial class FleetSweep(ICatalogProvider catalogs, AppReconciler reconciler, IJobQueue queue, IClusterConnector clusters, TimeProvider? time = null,
    ILogger<FleetSweep>? logger = null)
{
    /// <summary>How many apps are compared at once.</summary>
    public int Concurrency { get; init; } = 16;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Sweeps the apps whose destination is <paramref name="cluster"/> (a key from <see cref="IClusterConnector.KeyOf"/>).</summary>
    public async Task<SweepResult> RunAsync(string cluster, string deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var catalog = await catalogs.GetAsync(cancellationToken);
        var apps = catalog.Applications.Where(a => clusters.KeyOf(a.Destination) == cluster).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        var scope = new SweepScope(_time.GetUtcNow());
        var handedOff = new ConcurrentBag<string>();
        var unchanged = 0;
        await Parallel.ForEachAsync(apps, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Concurrency), CancellationToken = cancellationToken }, async (app, ct) =>
        {
            ReconcileOutcome outcome;
            try
            {
                outcome = await reconciler.ReconcileAsync(new ReconcileRequest { App = app, Mode = ReconcileMode.Refresh, Reason = "drift", DeliveryId = deliveryId, Sweep = scope }, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCompareFailed(_logger, app, ex.Message);
                outcome = new ReconcileOutcome { HandOff = true, Summary = ex.Message };
            }

            if (outcome.Unchanged)
            {
                Interlocked.Increment(ref unchanged);
            }

            if (outcome.HandOff)
            {
                await queue.EnqueueAsync(new JobMessage
                {
                    Kind = JobKind.Refresh,
                    App = app,
                    Revision = outcome.Revision,
                    Reason = JobReason.Drift,
                    DeliveryId = deliveryId,
                    EnqueuedAt = _time.GetUtcNow(),
                }, ct);
                handedOff.Add(app);
            }
        });

        var result = new SweepResult
        {
            Cluster = cluster,
            Apps = apps,
            Unchanged = unchanged,
            HandedOff = [.. handedOff.Order(StringComparer.Ordinal)],
            Lists = scope.ListCount,
        };
        LogSwept(_logger, cluster, apps.Count, result.Unchanged, result.HandedOff.Count, result.Lists);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep: comparing {App} failed; handing it to its own job: {Message}")]
    private static partial void LogCompareFailed(ILogger logger, string app, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep of cluster {Cluster}: {Apps} app(s), {Unchanged} unchanged, {HandedOff} handed to their own jobs, {Lists} list(s)")]
    private static partial void LogSwept(ILogger logger, string cluster, int apps, int unchanged, int handedOff, int lists);
}
