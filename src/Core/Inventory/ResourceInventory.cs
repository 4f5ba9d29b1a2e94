using Ferry.Core.Resources;

namespace Ferry.Core.Inventory;

/// <summary>What an app has applied, as Flux's kustomize-controller keeps it: prune candidates are previous minus desired.</summary>
public sealed class ResourceInventory
{
    private readonly SortedDictionary<string, InventoryEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>Builds an inventory from stored entries.</summary>
    public ResourceInventory(IEnumerable<InventoryEntry> entries)
    {
        foreach (var entry in entries)
        {
            _entries[entry.Id] = entry;
        }
    }

    /// <summary>The entries in ordinal id order.</summary>
    public IReadOnlyList<InventoryEntry> Entries => [.. _entries.Values];

    /// <summary>Whether the inventory holds the object.</summary>
    public bool Contains(ResourceKey key) => _entries.ContainsKey(key.ToInventoryId());

    /// <summary>Objects in this inventory that <paramref name="desired"/> no longer holds, with their apiVersion.</summary>
    public IReadOnlyList<(ResourceKey Key, string ApiVersion)> Stale(IEnumerable<ResourceKey> desired)
    {
        var keep = new HashSet<string>(desired.Select(d => d.ToInventoryId()), StringComparer.Ordinal);
        var stale = new List<(ResourceKey, string)>();
        foreach (var entry in _entries.Values)
        {
            if (!keep.Contains(entry.Id))
            {
                var key = ResourceKey.FromInventoryId(entry.Id);
                stale.Add((key, ApiVersionOf(key.Group, entry.Version)));
            }
        }

        return stale;
    }

    /// <summary>The inventory after a sync: what was applied plus prune survivors that must stay tracked.</summary>
    public static IReadOnlyList<InventoryEntry> Next(IEnumerable<(ResourceKey Key, string ApiVersion)> applied, IEnumerable<(ResourceKey Key, string ApiVersion)> survivors)
    {
        var next = new SortedDictionary<string, InventoryEntry>(StringComparer.Ordinal);
        foreach (var (key, apiVersion) in applied.Concat(survivors))
        {
            var slash = apiVersion.IndexOf('/');
            next[key.ToInventoryId()] = new InventoryEntry(key.ToInventoryId(), slash < 0 ? apiVersion : apiVersion[(slash + 1)..]);
        }

        return [.. next.Values];
    }

    private static string ApiVersionOf(string group, string version) => group.Length == 0 ? version : $"{group}/{version}";
}
