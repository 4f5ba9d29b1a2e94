using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>
/// The timer's work (level-triggered; duplicates are harmless): with a cluster connector, one sweep job per destination cluster, which
/// compares all its apps against one shared read; without one, the per-app path, one refresh job per app.
/// </summary>
public sealed class DriftCheck(ICatalogProvider catalogs, IJobQueue queue, TimeProvider? time = null, IStatusStore? store = null, IClusterConnector? clusters = null)
{
    /// <summary>The condition put on an app that left the catalog.</summary>
    public const string RemovedCondition = "RemovedFromCatalog";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Enqueues a sweep per cluster (or a refresh per app); returns the apps covered, sorted.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        var apps = catalog.Applications.Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        var now = _time.GetUtcNow();
        var checkId = $"drift-{now.ToUnixTimeSeconds()}";
        var sweeps = clusters is null ? [] : catalog.Applications.Select(a => clusters.KeyOf(a.Destination)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var cluster in sweeps)
        {
            await queue.EnqueueAsync(new JobMessage
            {
                Kind = JobKind.Sweep,
                App = JobMessage.AllApps,
                Cluster = cluster,
                Reason = JobReason.Drift,
                DeliveryId = checkId,
                EnqueuedAt = now,
            }, cancellationToken);
        }

        foreach (var app in clusters is null ? apps : [])
        {
            await queue.EnqueueAsync(new JobMessage
            {
                Kind = JobKind.Refresh,
                App = app,
                Reason = JobReason.Drift,
                DeliveryId = checkId,
                EnqueuedAt = now,
            }, cancellationToken);
        }

        if (store is not null)
        {
            await ReportRemovedAsync(apps, now, cancellationToken);
        }

        return apps;
    }

    // An app that left the catalog keeps its objects (Ferry never prunes a whole app on its own); its status says so.
    // The write is conditional on the version read: a result recorded meanwhile (the app came back and synced) is never overwritten,
    // and the next check looks again.
    private async Task ReportRemovedAsync(IReadOnlyList<string> apps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = new HashSet<string>(apps, StringComparer.Ordinal);
        foreach (var listed in await store!.ListAsync(cancellationToken))
        {
            if (current.Contains(listed.Name) || listed.Conditions.Any(c => c.Type == RemovedCondition)
                || await store.ReadAsync(listed.Name, cancellationToken) is not { } stored
                || stored.Status.Conditions.Any(c => c.Type == RemovedCondition))
            {
                continue;
            }

            await store.TrySaveAsync(stored.Status with
            {
                SyncStatus = SyncStatusCode.Unknown,
                Conditions = [.. stored.Status.Conditions, new AppCondition(RemovedCondition, "this app is no longer in the app catalog; its objects were left in the cluster (delete them, or add the app back)", now)],
            }, stored.Version, cancellationToken);
        }
    }
}
