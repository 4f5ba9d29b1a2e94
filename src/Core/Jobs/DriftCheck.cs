namespace Ferry.Core.Jobs;

/// <summary>The timer's work: one refresh job per app in the catalog (level-triggered; duplicates are harmless).</summary>
public sealed class DriftCheck(ICatalogProvider catalogs, IJobQueue queue, TimeProvider? time = null)
{
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

        return apps;
    }
}
