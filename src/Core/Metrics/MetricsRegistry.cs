using System.Collections.Concurrent;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Status;
using Ferry.Core.Webhooks;

namespace Ferry.Core.Metrics;

/// <summary>
/// Ferry's Prometheus metrics with Argo CD's meaning: <c>ferry_app_info</c>, <c>ferry_app_sync_total</c>,
/// <c>ferry_app_reconcile_seconds</c>, <c>ferry_git_request_total</c>, <c>ferry_kube_request_total</c>,
/// <c>ferry_webhook_requests_total</c>. Fed by Ferry's events, the Kubernetes client's request callback and Git calls;
/// rendered by <see cref="PrometheusText"/>. Thread-safe.
/// </summary>
public sealed class MetricsRegistry : IFerryEvents
{
    /// <summary>Upper bounds of the reconcile duration buckets, in seconds (Argo CD's).</summary>
    public static readonly IReadOnlyList<double> ReconcileBuckets = [0.25, 0.5, 1, 2, 4, 8, 16];

    private readonly ConcurrentDictionary<string, AppInfo> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string App, string Phase), long> _syncs = new();
    private readonly ConcurrentDictionary<string, Histogram> _reconciles = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Repo, string Type, string Outcome), long> _git = new();
    private readonly ConcurrentDictionary<(string Server, string Verb, string Resource, string Code), long> _kube = new();
    private readonly ConcurrentDictionary<(string Event, string Code), long> _webhooks = new();

    /// <inheritdoc/>
    public void WebhookReceived(string? deliveryId, WebhookResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Increment(_webhooks, (response.Event ?? "unknown", response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <inheritdoc/>
    public void DriftDetected(DriftEvent drift)
    {
    }

    /// <inheritdoc/>
    public void Reconciled(ReconcileEvent reconcile)
    {
        ArgumentNullException.ThrowIfNull(reconcile);
        var status = reconcile.Status;
        _apps[status.Name] = new AppInfo(status.SyncStatus.ToString(), status.Health.ToString(), status.Cluster ?? string.Empty);
        // Every finished sync operation, whatever its result: one that applied, and a forced sync that failed or errored before applying.
        var attempted = reconcile.Applied || reconcile.Request is { Mode: ReconcileMode.ForceSync, DryRun: false };
        if (attempted && status.Operation is { DryRun: false, Phase: not OperationPhase.Running } operation)
        {
            Increment(_syncs, (status.Name, operation.Phase.ToString()));
        }

        _reconciles.GetOrAdd(status.Name, _ => new Histogram(ReconcileBuckets.Count)).Observe(reconcile.Duration.TotalSeconds);
    }

    /// <summary>Counts one Kubernetes API request (pass this to <c>KubeClientOptions.OnRequest</c> with the cluster's name).</summary>
    public void KubeRequest(string server, KubeRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Increment(_kube, (server, request.Verb, request.Resource, request.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Counts one Git request: <paramref name="type"/> is <c>ls-remote</c> or <c>fetch</c>, <paramref name="failed"/> whether it failed.</summary>
    public void GitRequest(string repo, string type, bool failed) =>
        Increment(_git, (Ferry.Core.Git.GitUrl.WithoutCredentials(repo), type, failed ? "failed" : "succeeded"));

    /// <summary>Forgets an app (removed from the catalog) so its info series disappears.</summary>
    public void RemoveApp(string app) => _apps.TryRemove(app, out _);

    internal IEnumerable<KeyValuePair<string, AppInfo>> Apps => _apps;

    internal IEnumerable<KeyValuePair<(string App, string Phase), long>> Syncs => _syncs;

    internal IEnumerable<KeyValuePair<string, Histogram>> Reconciles => _reconciles;

    internal IEnumerable<KeyValuePair<(string Repo, string Type, string Outcome), long>> Git => _git;

    internal IEnumerable<KeyValuePair<(string Server, string Verb, string Resource, string Code), long>> Kube => _kube;

    internal IEnumerable<KeyValuePair<(string Event, string Code), long>> Webhooks => _webhooks;

    private static void Increment<TKey>(ConcurrentDictionary<TKey, long> counters, TKey key)
        where TKey : notnull => counters.AddOrUpdate(key, 1, (_, n) => n + 1);

    internal sealed record AppInfo(string SyncStatus, string HealthStatus, string Cluster);

    /// <summary>A cumulative histogram: counts per bucket upper bound, plus sum and count.</summary>
    internal sealed class Histogram(int buckets)
    {
        private readonly Lock _gate = new();
        private readonly long[] _counts = new long[buckets];
        private double _sum;
        private long _count;

        public void Observe(double value)
        {
            lock (_gate)
            {
                for (var i = 0; i < _counts.Length; i++)
                {
                    if (value <= ReconcileBuckets[i])
                    {
                        _counts[i]++;
                    }
                }

                _sum += value;
                _count++;
            }
        }

        public (long[] Cumulative, double Sum, long Count) Snapshot()
        {
            lock (_gate)
            {
                return ([.. _counts], _sum, _count);
            }
        }
    }
}
