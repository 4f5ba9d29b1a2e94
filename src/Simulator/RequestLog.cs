using System.Collections.Concurrent;

namespace Ferry.Simulator;

/// <summary>A thread-safe log of the requests a simulator answered, in arrival order.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RecordedRequest> entries = new();

    /// <summary>The requests so far.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot() => entries.ToArray();

    /// <summary>How many requests were answered.</summary>
    public int Count => entries.Count;

    /// <summary>How many requests could change the cluster (POST, PUT, PATCH without dryRun; DELETE without dryRun).</summary>
    public int MutatingCount => entries.Count(e => e.IsMutating);

    /// <summary>How many requests match a predicate.</summary>
    public int CountWhere(Func<RecordedRequest, bool> predicate) => entries.Count(predicate);

    /// <summary>Forgets every entry.</summary>
    public void Clear() => entries.Clear();

    internal void Add(RecordedRequest request) => entries.Enqueue(request);
}
