using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>The timer's work: one refresh job per app in the catalog (level-triggered; duplicates are harmless).</summary>
public sealed class DriftCheck(ICatalogProvider catalogs, IJobQueue queue, TimeProvider? time = null, IStatusStore? store = null)
{
    /// <summary>The condition put on an app that left the catalog.</summary>
    public const string RemovedCondition = "RemovedFromCatalog";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Enqueues a refresh for every app; returns the apps queued, sorted.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        var apps = catalog.Applications.Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        var now = _time.GetUtcNow();
        var checkId = $"drift-{now.ToUnixTimeSeconds()}";
        foreach (var app in apps)
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
