using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Simulator.Apply;

/// <summary>Field paths as server-side apply tracks them: elements <c>f:name</c>, <c>k:{keys}</c>, <c>v:value</c> and <c>.</c> (the node itself).</summary>
/// <remarks>A path is its elements joined by U+001F; a set of paths is what one manager owns.</remarks>
internal static class FieldPaths
{
    public const char Separator = '\u001f';

    /// <summary>Keyed lists (merged by key) by field name; <c>ports</c> is decided by the item (container or service port).</summary>
    private static readonly FrozenDictionary<string, string[]> ListKeys = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["volumes"] = ["name"],
        ["env"] = ["name"],
        ["imagePullSecrets"] = ["name"],
        ["resourceClaims"] = ["name"],
        ["schedulingGates"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["hostAliases"] = ["ip"],
        ["conditions"] = ["type"],
        ["ownerReferences"] = ["uid"],
        ["podIPs"] = ["ip"],
        ["topologySpreadConstraints"] = ["topologyKey", "whenUnsatisfiable"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Lists of scalars merged as sets.</summary>
    private static readonly FrozenSet<string> SetLists = new[] { "finalizers" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Maps and structs that are replaced whole (<c>x-kubernetes-map-type: atomic</c>), e.g. label selectors.</summary>
    private static readonly FrozenSet<string> AtomicMaps = new[] { "selector" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Metadata fields the server owns; they never appear in managedFields.</summary>
    private static readonly FrozenSet<string> ServerMetadata = new[]
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions KeyOptions = JsonText.Options;

    /// <summary>Which part of an object a write manages.</summary>
    public enum Scope
    {
        /// <summary>Everything.</summary>
        All,

        /// <summary>Everything but <c>status</c> (a resource with a status subresource).</summary>
        WithoutStatus,

        /// <summary>Only <c>status</c> (a write through the status subresource).</summary>
        StatusOnly,
    }

    /// <summary>The set of field paths an object sets.</summary>
    public static HashSet<string> Of(JsonObject obj, Scope scope)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if ((key == "status" && scope == Scope.WithoutStatus) || (key != "status" && scope == Scope.StatusOnly))
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (mk, mv) in metadata)
                {
                    if (!ServerMetadata.Contains(mk))
                    {
                        Walk(mv, "f:metadata" + Separator + "f:" + mk, mk, set);
                    }
                }

                continue;
            }

            Walk(value, "f:" + key, key, set);
        }

        return set;
    }

    private static void Walk(JsonNode? node, string path, string field, HashSet<string> set)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0 && !AtomicMaps.Contains(field):
                foreach (var (k, v) in obj)
                {
                    Walk(v, path + Separator + "f:" + k, k, set);
                }

                break;
            case JsonArray array when array.Count > 0 && IsMergedList(field, array):
                foreach (var item in array)
                {
                    var element = ElementOf(field, item);
                    if (element is null)
                    {
                        continue;
                    }

                    var itemPath = path + Separator + element;
                    set.Add(itemPath + Separator + ".");
                    if (item is JsonObject itemObject)
                    {
                        foreach (var (k, v) in itemObject)
                        {
                            Walk(v, itemPath + Separator + "f:" + k, k, set);
                        }
                    }
                }

                break;
            default:
                set.Add(path);
                break;
        }
    }

    /// <summary>Whether a list is merged item by item (keyed list or set) rather than replaced whole.</summary>
    public static bool IsMergedList(string field, JsonArray array) =>
        (ListKeys.ContainsKey(field) || field == "ports") ? array.All(i => i is JsonObject) : SetLists.Contains(field) && array.All(i => i is JsonValue);

    /// <summary>The path element naming one item of a merged list: <c>k:{...}</c> or <c>v:...</c>.</summary>
    public static string? ElementOf(string field, JsonNode? item)
    {
        if (item is JsonValue value)
        {
            return "v:" + value.ToJsonString(KeyOptions);
        }

        if (item is not JsonObject obj)
        {
            return null;
        }

        string[] keys;
        if (field == "ports")
        {
            keys = obj.ContainsKey("containerPort") ? ["containerPort", "protocol"] : ["port", "protocol"];
        }
        else if (!ListKeys.TryGetValue(field, out keys!))
        {
            return null;
        }

        var builder = new StringBuilder("k:{");
        var first = true;
        foreach (var key in keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var v = obj[key];
            if (v is null && key == "protocol")
            {
                v = JsonValue.Create("TCP");
            }

            if (v is null)
            {
                continue;
            }

            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            builder.Append(JsonSerializer.Serialize(key, KeyOptions)).Append(':').Append(v.ToJsonString(KeyOptions));
        }

        return builder.Append('}').ToString();
    }

    /// <summary>Splits a path into its elements.</summary>
    public static string[] Elements(string path) => path.Split(Separator);

    /// <summary>The value a path points at, or null when absent (a trailing <c>.</c> means the node itself).</summary>
    public static JsonNode? Get(JsonNode? root, string path, out bool found)
    {
        var node = root;
        string field = string.Empty;
        found = false;
        foreach (var element in Elements(path))
        {
            if (element == ".")
            {
                break;
            }

            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                field = element[2..];
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(field, out node))
                {
                    return null;
                }
            }
            else if (node is JsonArray array)
            {
                node = array.FirstOrDefault(i => ElementOf(field, i) == element);
                if (node is null)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        found = true;
        return node;
    }

    /// <summary>Removes the node a path points at; returns false when it was not there.</summary>
    public static bool Remove(JsonNode root, string path)
    {
        var elements = Elements(path);
        var count = elements[^1] == "." ? elements.Length - 1 : elements.Length;
        if (count == 0)
        {
            return false;
        }

        var parentPath = string.Join(Separator, elements, 0, count - 1);
        var found = true;
        var parent = count == 1 ? root : Get(root, parentPath, out found);
        if (!found)
        {
            return false;
        }

        var last = elements[count - 1];
        if (last.StartsWith("f:", StringComparison.Ordinal))
        {
            return parent is JsonObject obj && obj.Remove(last[2..]);
        }

        if (parent is JsonArray array)
        {
            var field = count >= 2 && elements[count - 2].StartsWith("f:", StringComparison.Ordinal) ? elements[count - 2][2..] : string.Empty;
            for (var i = 0; i < array.Count; i++)
            {
                if (ElementOf(field, array[i]) == last)
                {
                    array.RemoveAt(i);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The path as the real server prints it in conflicts: <c>.spec.template.spec.containers[name="web"].image</c>.</summary>
    public static string Display(string path)
    {
        var builder = new StringBuilder();
        foreach (var element in Elements(path))
        {
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                builder.Append('.').Append(element, 2, element.Length - 2);
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal))
            {
                var keys = JsonNode.Parse(element[2..]) as JsonObject;
                builder.Append('[').AppendJoin(',', keys!.Select(p => $"{p.Key}={p.Value!.ToJsonString(KeyOptions)}")).Append(']');
            }
            else if (element.StartsWith("v:", StringComparison.Ordinal))
            {
                builder.Append("[=").Append(element, 2, element.Length - 2).Append(']');
            }
        }

        return builder.ToString();
    }

    /// <summary>Encodes a set of paths as a FieldsV1 object, keys in the server's order.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var node = root;
            foreach (var element in Elements(path))
            {
                if (!node.TryGetValue(element, out var child))
                {
                    child = new SortedDictionary<string, object>(StringComparer.Ordinal);
                    node[element] = child;
                }

                node = (SortedDictionary<string, object>)child;
            }
        }

        return ToJson(root);
    }

    private static JsonObject ToJson(SortedDictionary<string, object> node)
    {
        var obj = new JsonObject();
        foreach (var (key, child) in node)
        {
            obj[key] = ToJson((SortedDictionary<string, object>)child);
        }

        return obj;
    }

    /// <summary>Decodes a FieldsV1 object into a set of paths.</summary>
    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Decode(fields, string.Empty, set);
        }

        return set;
    }

    private static void Decode(JsonObject node, string prefix, HashSet<string> set)
    {
        foreach (var (key, child) in node)
        {
            var path = prefix.Length == 0 ? key : prefix + Separator + key;
            if (child is JsonObject obj && obj.Count > 0)
            {
                Decode(obj, path, set);
            }
            else
            {
                set.Add(path);
            }
        }
    }

    /// <summary>Structural equality with numbers compared by value.</summary>
    public static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JsonObject oa:
                if (b is not JsonObject ob || oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (k, v) in oa)
                {
                    if (!ob.TryGetPropertyValue(k, out var w) || !JsonEquals(v, w))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa:
                if (b is not JsonArray ab || aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!JsonEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                if (b is not JsonValue vb)
                {
                    return false;
                }

                var va = (JsonValue)a;
                var kind = va.GetValueKind();
                if (kind != vb.GetValueKind())
                {
                    return false;
                }

                return kind switch
                {
                    JsonValueKind.String => va.GetValue<string>() == vb.GetValue<string>(),
                    JsonValueKind.Number => NumberEquals(va, vb),
                    _ => true,
                };
        }
    }

    private static bool NumberEquals(JsonValue a, JsonValue b) =>
        decimal.TryParse(a.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x)
        && decimal.TryParse(b.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y)
        && x == y;
}
