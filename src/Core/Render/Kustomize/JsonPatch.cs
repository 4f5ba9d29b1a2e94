using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>RFC 6902 JSON patch over JSON nodes (add, remove, replace, move, copy, test).</summary>
internal static class JsonPatch
{
    public static void Apply(JsonObject target, JsonArray operations, string file)
    {
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
            {
                throw new RenderException(file, null, "a JSON patch operation must be a mapping");
            }

            var name = (string?)op["op"];
            var path = (string?)op["path"] ?? throw new RenderException(file, null, $"JSON patch operation '{name}' has no path");
            try
            {
                switch (name)
                {
                    case "add":
                        Add(target, path, op["value"]?.DeepClone());
                        break;
                    case "remove":
                        Remove(target, path);
                        break;
                    case "replace":
                        Replace(target, path, op["value"]?.DeepClone());
                        break;
                    case "move":
                        var moved = Remove(target, (string?)op["from"] ?? string.Empty);
                        Add(target, path, moved);
                        break;
                    case "copy":
                        Add(target, path, Get(target, (string?)op["from"] ?? string.Empty)?.DeepClone());
                        break;
                    case "test":
                        if (!JsonNode.DeepEquals(Get(target, path), op["value"]))
                        {
                            throw new InvalidOperationException($"test failed at {path}");
                        }

                        break;
                    default:
                        throw new InvalidOperationException($"unknown operation '{name}'");
                }
            }
            catch (InvalidOperationException ex)
            {
                throw new RenderException(file, null, $"JSON patch {name} {path}: {ex.Message}", ex);
            }
        }
    }

    private static string[] Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new InvalidOperationException($"'{pointer}' is not a JSON pointer");
        }

        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new InvalidOperationException("path does not exist"),
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
        {
            throw new InvalidOperationException("the root cannot be patched");
        }

        var parent = tokens.Length == 1
            ? root
            : Get(root, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));

        return (parent ?? throw new InvalidOperationException("parent is null"), tokens[^1]);
    }

    private static void Add(JsonNode root, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new InvalidOperationException("path does not exist");
        }
    }

    /// <summary>Replace as kustomize's json-patch library (v4) does it: a missing key in an existing object is added; a missing
    /// list index or a missing parent is an error.</summary>
    private static void Replace(JsonNode root, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a[i] = value;
                break;
            default:
                throw new InvalidOperationException("path does not exist");
        }
    }

    private static JsonNode? Remove(JsonNode root, string pointer)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var existing):
                o.Remove(last);
                return existing;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return item;
            default:
                throw new InvalidOperationException("path does not exist");
        }
    }
}
