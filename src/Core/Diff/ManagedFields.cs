using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Diff;

/// <summary>Reads server-side apply's <c>managedFields</c> (FieldsV1 sets) to tell who owns which field.</summary>
public static class ManagedFields
{
    /// <summary>The union of FieldsV1 sets of <paramref name="managers"/> in a live object; applyOnly keeps only Apply entries.</summary>
    public static IReadOnlyList<JsonObject> Sets(JsonObject live, IEnumerable<string> managers, bool applyOnly = false)
    {
        var wanted = new HashSet<string>(managers, StringComparer.Ordinal);
        var sets = new List<JsonObject>();
        if (live["metadata"]?["managedFields"] is not JsonArray entries)
        {
            return sets;
        }

        foreach (var entry in entries.OfType<JsonObject>())
        {
            if ((string?)entry["manager"] is { } manager && wanted.Contains(manager)
                && (!applyOnly || (string?)entry["operation"] == "Apply")
                && entry["fieldsV1"] is JsonObject fields)
            {
                sets.Add(fields);
            }
        }

        return sets;
    }

    /// <summary>Removes from <paramref name="target"/> every field the FieldsV1 set names.</summary>
    public static void Remove(JsonNode? target, JsonObject fields)
    {
        foreach (var (key, sub) in fields)
        {
            if (key == ".")
            {
                continue;
            }

            var leaf = IsLeaf(sub);
            switch (target)
            {
                case JsonObject obj when key.StartsWith("f:", StringComparison.Ordinal):
                    var name = key[2..];
                    if (!obj.ContainsKey(name))
                    {
                        break;
                    }

                    if (leaf)
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        Remove(obj[name], (JsonObject)sub!);
                    }

                    break;
                case JsonArray array when key.StartsWith("k:", StringComparison.Ordinal) || key.StartsWith("v:", StringComparison.Ordinal) || key.StartsWith("i:", StringComparison.Ordinal):
                    var index = FindElement(array, key);
                    if (index < 0)
                    {
                        break;
                    }

                    if (leaf)
                    {
                        array.RemoveAt(index);
                    }
                    else
                    {
                        Remove(array[index], (JsonObject)sub!);
                    }

                    break;
            }
        }
    }

    /// <summary>Paths the FieldsV1 set names that <paramref name="desired"/> lacks: fields an earlier apply set and Git no longer has.</summary>
    public static IReadOnlyList<string> Missing(JsonNode? desired, JsonObject fields, string path = "")
    {
        var missing = new List<string>();
        foreach (var (key, sub) in fields)
        {
            if (key == ".")
            {
                continue;
            }

            var childPath = $"{path}/{Describe(key)}";
            JsonNode? child = null;
            var present = false;
            if (key.StartsWith("f:", StringComparison.Ordinal) && desired is JsonObject obj)
            {
                present = obj.TryGetPropertyValue(key[2..], out child);
            }
            else if (desired is JsonArray array)
            {
                // Desired lacks server defaults (a port's protocol), so a key field it does not set matches any value.
                var index = FindElement(array, key, lenient: true);
                present = index >= 0;
                child = present ? array[index] : null;
            }

            if (!present)
            {
                missing.Add(childPath);
            }
            else if (!IsLeaf(sub))
            {
                missing.AddRange(Missing(child, (JsonObject)sub!, childPath));
            }
        }

        return missing;
    }

    private static bool IsLeaf(JsonNode? sub) => sub is not JsonObject o || o.All(p => p.Key == ".");

    private static string Describe(string key) => key.Length > 2 ? key[2..] : key;

    private static int FindElement(JsonArray array, string key, bool lenient = false)
    {
        var payload = key[2..];
        switch (key[0])
        {
            case 'i':
                return int.TryParse(payload, out var i) && i < array.Count ? i : -1;
            case 'v':
                var value = JsonNode.Parse(payload);
                for (var j = 0; j < array.Count; j++)
                {
                    if (JsonNode.DeepEquals(array[j], value))
                    {
                        return j;
                    }
                }

                return -1;
            default:
                JsonObject keys;
                try
                {
                    keys = JsonNode.Parse(payload) as JsonObject ?? [];
                }
                catch (JsonException)
                {
                    return -1;
                }

                for (var j = 0; j < array.Count; j++)
                {
                    if (array[j] is JsonObject element && keys.All(k => Scalars.Equal(element[k.Key], k.Value) || (lenient && !element.ContainsKey(k.Key))))
                    {
                        return j;
                    }
                }

                return -1;
        }
    }
}
