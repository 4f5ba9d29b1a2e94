using System.Collections.Concurrent;

namespace Ferry.Simulator.Storage;

/// <summary>Objects by (group, resource, namespace, name), with a global resourceVersion counter and striped write locks.</summary>
internal sealed class ObjectStore
{
    private const int StripeCount = 64;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string Namespace, string Name), StoredObject>> collections = new(StringComparer.Ordinal);
    private readonly Lock[] stripes = Enumerable.Range(0, StripeCount).Select(_ => new Lock()).ToArray();
    private long resourceVersion = 100;

    /// <summary>The latest resourceVersion handed out.</summary>
    public long CurrentResourceVersion => Interlocked.Read(ref resourceVersion);

    /// <summary>Takes the next resourceVersion.</summary>
    public long NextResourceVersion() => Interlocked.Increment(ref resourceVersion);

    /// <summary>The lock guarding writes to one object; held only for in-memory work, never across I/O.</summary>
    public Lock LockFor(string group, string plural, string ns, string name)
    {
        var hash = HashCode.Combine(group, plural, ns, name);
        return stripes[(hash & int.MaxValue) % StripeCount];
    }

    public StoredObject? Get(string group, string plural, string ns, string name) =>
        collections.TryGetValue(Collection(group, plural), out var c) && c.TryGetValue((ns, name), out var o) ? o : null;

    public void Put(StoredObject obj) =>
        collections.GetOrAdd(Collection(obj.Group, obj.Plural), _ => new()).AddOrUpdate((obj.Namespace, obj.Name), obj, (_, _) => obj);

    public bool Remove(string group, string plural, string ns, string name) =>
        collections.TryGetValue(Collection(group, plural), out var c) && c.TryRemove((ns, name), out _);

    /// <summary>The objects of one resource, in one namespace or all (null), ordered by namespace then name.</summary>
    public List<StoredObject> List(string group, string plural, string? ns)
    {
        if (!collections.TryGetValue(Collection(group, plural), out var c))
        {
            return [];
        }

        var items = ns is null ? c.Values.ToList() : c.Values.Where(o => o.Namespace == ns).ToList();
        items.Sort(static (a, b) =>
        {
            var n = string.CompareOrdinal(a.Namespace, b.Namespace);
            return n != 0 ? n : string.CompareOrdinal(a.Name, b.Name);
        });
        return items;
    }

    /// <summary>Every stored object.</summary>
    public IEnumerable<StoredObject> All => collections.Values.SelectMany(c => c.Values);

    /// <summary>Removes every object of a namespace (what the namespace controller does after a Namespace is deleted).</summary>
    public int RemoveNamespace(string ns)
    {
        var removed = 0;
        foreach (var c in collections.Values)
        {
            foreach (var key in c.Keys.Where(k => k.Namespace == ns).ToList())
            {
                if (c.TryRemove(key, out _))
                {
                    removed++;
                }
            }
        }

        return removed;
    }

    /// <summary>Forgets everything (the resourceVersion counter keeps increasing, as a real cluster's would).</summary>
    public void Clear() => collections.Clear();

    private static string Collection(string group, string plural) => $"{group}/{plural}";
}
