using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>A field path in objects of a selected GVK, and whether a transformer may create it (kustomize's fieldSpec).</summary>
internal sealed record FieldSpec(Gvk Selector, string Path, bool Create)
{
    private string[]? segments;

    public string[] Segments => segments ??= Split(Path);

    public bool Matches(Gvk gvk) => gvk.IsSelectedBy(Selector);

    // The cached segments are not part of a spec's identity.
    public bool Equals(FieldSpec? other) => other is not null && Selector == other.Selector && Path == other.Path && Create == other.Create;

    public override int GetHashCode() => HashCode.Combine(Selector, Path, Create);

    /// <summary>Reads a fieldSpec from a configuration mapping (path, group, version, kind, create).</summary>
    public static FieldSpec Parse(JsonObject node) => new(
        new Gvk((string?)node["group"] ?? string.Empty, (string?)node["version"] ?? string.Empty, (string?)node["kind"] ?? string.Empty),
        (string?)node["path"] ?? string.Empty,
        node["create"] is JsonValue c && c.TryGetValue<bool>(out var create) && create);

    /// <summary>Splits a path on '/', keeping '\/' as a literal slash.</summary>
    public static string[] Split(string path)
    {
        if (!path.Contains('\\'))
        {
            return path.Split('/');
        }

        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 1 < path.Length && path[i + 1] == '/')
            {
                current.Append('/');
                i++;
            }
            else if (path[i] == '/')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(path[i]);
            }
        }

        parts.Add(current.ToString());
        return [.. parts];
    }
}

/// <summary>What a field walker creates when the last field is missing and the spec allows creation.</summary>
internal enum CreateKind
{
    None,
    Scalar,
    Map,
}

/// <summary>Visits the fields a <see cref="FieldSpec"/> names in an object, descending into every element of sequences.</summary>
internal static class FieldWalker
{
    /// <summary>Calls <paramref name="set"/> with the parent mapping and key of each field the spec reaches.</summary>
    public static void Walk(JsonObject obj, FieldSpec spec, CreateKind createKind, Action<JsonObject, string> set, bool checkGvk = true)
    {
        if (checkGvk && !spec.Matches(Gvk.FromApiVersion((string?)obj["apiVersion"], (string?)obj["kind"])))
        {
            return;
        }

        Walk(obj, spec.Segments, 0, spec.Create, createKind, set);
    }

    /// <summary>Like <see cref="Walk(JsonObject, FieldSpec, CreateKind, Action{JsonObject, string}, bool)"/>, using the resource's cached GVK.</summary>
    public static void Walk(KResource r, FieldSpec spec, CreateKind createKind, Action<JsonObject, string> set)
    {
        if (spec.Matches(r.Gvk))
        {
            Walk(r.Obj, spec.Segments, 0, spec.Create, createKind, set);
        }
    }

    private static void Walk(JsonNode? node, string[] path, int index, bool create, CreateKind createKind, Action<JsonObject, string> set)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], path, index, create, createKind, set);
                }

                return;
            case JsonObject map:
                var segment = path[index];
                var isSeq = segment.EndsWith("[]", StringComparison.Ordinal);
                var name = isSeq ? segment[..^2] : segment;
                var last = index == path.Length - 1;
                if (!map.TryGetPropertyValue(name, out var child))
                {
                    if (!create || isSeq || createKind == CreateKind.None)
                    {
                        return;
                    }

                    child = last && createKind == CreateKind.Scalar ? JsonValue.Create(string.Empty) : new JsonObject();
                    map[name] = child;
                }
                else if (child is null && isSeq)
                {
                    // kustomize turns a null list it looks up into an empty one.
                    child = new JsonArray();
                    map[name] = child;
                }
                else if (child is null && create && !isSeq && createKind != CreateKind.None && (!last || createKind == CreateKind.Map))
                {
                    child = new JsonObject();
                    map[name] = child;
                }

                if (last)
                {
                    set(map, name);
                    return;
                }

                Walk(child, path, index + 1, create, createKind, set);
                return;
            default:
                return;
        }
    }
}
