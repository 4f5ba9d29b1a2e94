using System.Collections.Concurrent;
using Ferry.Core.Kube;
using Ferry.Core.Sync;

namespace Ferry.Core.Jobs;

/// <summary>What the apps of one drift sweep share: the time it started (every repository is listed once after it) and one read of each cluster.</summary>
public sealed class SweepScope(DateTimeOffset startedAt)
{
    private readonly ConcurrentDictionary<IKubeClient, LiveSnapshot> _snapshots = new(ReferenceEqualityComparer.Instance);

    /// <summary>When the sweep started; remote references listed before it are not used.</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>How many (resource, namespace) lists the sweep asked for, over all clusters.</summary>
    public int ListCount => _snapshots.Values.Sum(s => s.ListCount);

    /// <summary>The sweep's read of the cluster <paramref name="client"/> talks to.</summary>
    public LiveSnapshot LiveFor(IKubeClient client) => _snapshots.GetOrAdd(client, c => new LiveSnapshot(c));
}
