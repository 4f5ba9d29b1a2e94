using System.Text.Json.Nodes;

namespace Ferry.Simulator.Apply;

/// <summary>Server-side apply and update bookkeeping: merges applied configurations and keeps each manager's owned fields.</summary>
internal static class FieldManager
{
    /// <summary>Merges an applied configuration into the live object (a private copy, or null on create) for one manager.</summary>
    /// <exception cref="ApplyConflictException">Another manager owns a field with a different value and force is off.</exception>
    public static FieldManagerResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, FieldPaths.Scope scope, string apiVersion, string now)
    {
        var entries = ManagedEntry.Read(live);
        var mine = entries.FirstOrDefault(e => e.Is(manager, "Apply", null));
        var applying = FieldPaths.Of(applied, scope);

        var conflicts = new List<ApplyConflict>();
        foreach (var other in entries.Where(e => !ReferenceEquals(e, mine) && e.Manager != manager))
        {
            foreach (var path in applying)
            {
                if (path.EndsWith('.') || !other.Fields.Contains(path))
                {
                    continue;
                }

                var liveValue = FieldPaths.Get(live, path, out var inLive);
                var appliedValue = FieldPaths.Get(applied, path, out _);
                if (inLive && !FieldPaths.JsonEquals(liveValue, appliedValue))
                {
                    conflicts.Add(new ApplyConflict(other, path));
                }
            }
        }

        if (conflicts.Count > 0)
        {
            if (!force)
            {
                throw new ApplyConflictException(conflicts);
            }

            foreach (var c in conflicts)
            {
                c.Entry.Fields.Remove(c.Path);
            }
        }

        var result = live ?? new JsonObject();
        var othersOwn = entries.Where(e => !ReferenceEquals(e, mine)).SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        if (mine is not null)
        {
            // Fields this manager set before and no longer sets go away, unless someone else still owns them (or something under them).
            foreach (var path in mine.Fields.Where(p => !applying.Contains(p) && !othersOwn.Contains(p)).OrderByDescending(p => p.Length))
            {
                var node = path.EndsWith('.') ? path[..^2] : path;
                if (!othersOwn.Any(o => o.StartsWith(node, StringComparison.Ordinal)))
                {
                    FieldPaths.Remove(result, path);
                }
            }
        }

        Merge(result, applied, string.Empty);

        if (mine is null)
        {
            mine = new ManagedEntry { Manager = manager, Operation = "Apply", ApiVersion = apiVersion, Time = now, Fields = applying };
            entries.Add(mine);
        }
        else
        {
            if (!mine.Fields.SetEquals(applying) || mine.ApiVersion != apiVersion)
            {
                mine.Time = now;
            }

            mine.Fields = applying;
            mine.ApiVersion = apiVersion;
        }

        return new FieldManagerResult(result, entries, mine);
    }

    /// <summary>Records a non-apply write (create, update, status write): the writer takes the fields it changed.</summary>
    public static FieldManagerResult Update(JsonObject? old, JsonObject updated, string manager, string? subresource, FieldPaths.Scope scope, string apiVersion, string now)
    {
        var entries = ManagedEntry.Read(old);
        var before = old is null ? new HashSet<string>(StringComparer.Ordinal) : FieldPaths.Of(old, scope);
        var after = FieldPaths.Of(updated, scope);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in after)
        {
            if (path.EndsWith('.'))
            {
                if (!before.Contains(path))
                {
                    changed.Add(path);
                }

                continue;
            }

            var a = FieldPaths.Get(old, path, out var wasThere);
            var b = FieldPaths.Get(updated, path, out _);
            if (!wasThere || !FieldPaths.JsonEquals(a, b))
            {
                changed.Add(path);
            }
        }

        foreach (var e in entries)
        {
            e.Fields.RemoveWhere(p => InScope(p, scope) && !after.Contains(p));
            e.Fields.ExceptWith(changed);
        }

        var mine = entries.FirstOrDefault(e => e.Is(manager, "Update", subresource));
        if (mine is null)
        {
            mine = new ManagedEntry { Manager = manager, Operation = "Update", ApiVersion = apiVersion, Time = now, Subresource = subresource, Fields = changed };
            entries.Add(mine);
        }
        else
        {
            if (changed.Count > 0)
            {
                mine.Time = now;
            }

            mine.Fields.UnionWith(changed);
            mine.ApiVersion = apiVersion;
        }

        return new FieldManagerResult(updated, entries, mine);
    }

    private static bool InScope(string path, FieldPaths.Scope scope) => scope switch
    {
        FieldPaths.Scope.StatusOnly => path.StartsWith("f:status", StringComparison.Ordinal),
        FieldPaths.Scope.WithoutStatus => !path.StartsWith("f:status", StringComparison.Ordinal),
        _ => true,
    };

    /// <summary>Merges <paramref name="applied"/> into <paramref name="live"/> in place; returns the node to store at this position.</summary>
    private static JsonNode? Merge(JsonNode? live, JsonNode? applied, string field)
    {
        if (applied is JsonObject appliedObject && live is JsonObject liveObject && !(field == "selector"))
        {
            foreach (var (key, value) in appliedObject)
            {
                if (value is null)
                {
                    liveObject.Remove(key);
                    continue;
                }

                var existing = liveObject[key];
                var merged = Merge(existing, value, key);
                if (!ReferenceEquals(merged, existing))
                {
                    liveObject[key] = merged;
                }
            }

            return liveObject;
        }

        if (applied is JsonArray appliedArray && live is JsonArray liveArray && FieldPaths.IsMergedList(field, appliedArray) && FieldPaths.IsMergedList(field, liveArray))
        {
            foreach (var item in appliedArray)
            {
                var element = FieldPaths.ElementOf(field, item);
                var index = -1;
                for (var i = 0; i < liveArray.Count; i++)
                {
                    if (FieldPaths.ElementOf(field, liveArray[i]) == element)
                    {
                        index = i;
                        break;
                    }
                }

                if (index < 0)
                {
                    liveArray.Add(item?.DeepClone());
                }
                else
                {
                    var existing = liveArray[index];
                    var merged = Merge(existing, item, string.Empty);
                    if (!ReferenceEquals(merged, existing))
                    {
                        liveArray[index] = merged;
                    }
                }
            }

            return liveArray;
        }

        return applied?.DeepClone();
    }
}

/// <summary>The outcome of a field-manager step: the merged object and the managedFields entries to write.</summary>
internal sealed record FieldManagerResult(JsonObject Object, List<ManagedEntry> Entries, ManagedEntry Mine);

/// <summary>One field another manager owns with a different value.</summary>
internal sealed record ApplyConflict(ManagedEntry Entry, string Path);

/// <summary>An apply ran into fields other managers own; the handler answers 409 with one cause per field.</summary>
internal sealed class ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts) : Exception("apply conflict")
{
    public IReadOnlyList<ApplyConflict> Conflicts { get; } = conflicts;
}
