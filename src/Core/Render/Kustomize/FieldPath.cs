using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Dotted field paths as replacements and vars write them: <c>spec.containers.[name=app].image</c>, <c>items.0</c>, <c>a[0].b</c>.</summary>
internal static class FieldPath
{
    public static List<string> Split(string path)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in path)
        {
            if (c == '[')
            {
                if (depth == 0 && current.Length > 0)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                }

                depth++;
            }

            if (c == ']')
            {
                depth--;
            }

            if (c == '.' && depth == 0)
            {
                if (current.Length > 0)
                {
                    parts.Add(current.ToString());
                }

                current.Clear();
                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }

    /// <summary>Every node the path reaches (wildcards "*" fan out); with <paramref name="create"/>, missing maps and fields are made.</summary>
    public static List<(JsonNode Parent, string Key, int Index)> Resolve(JsonNode root, string path, bool create)
    {
        var results = new List<(JsonNode, string, int)>();
        Resolve(root, Split(path), 0, create, results);
        return results;
    }

    private static void Resolve(JsonNode node, List<string> parts, int i, bool create, List<(JsonNode, string, int)> results)
    {
        var part = parts[i];
        var last = i == parts.Count - 1;
        if (node is JsonArray array)
        {
            if (part == "*")
            {
                for (var j = 0; j < array.Count; j++)
                {
                    Step(array, string.Empty, j, array[j], parts, i, create, results);
                }

                return;
            }

            if (part.StartsWith('[') && part.EndsWith(']'))
            {
                var inner = part[1..^1];
                var eq = inner.IndexOf('=');
                if (eq < 0)
                {
                    if (int.TryParse(inner, out var at) && at >= 0 && at < array.Count)
                    {
                        Step(array, string.Empty, at, array[at], parts, i, create, results);
                    }

                    return;
                }

                var key = inner[..eq];
                var value = inner[(eq + 1)..];
                var found = false;
                for (var j = 0; j < array.Count; j++)
                {
                    if (array[j] is JsonObject element && element[key] is { } v && Transformers.ScalarText(v) == value)
                    {
                        found = true;
                        Step(array, string.Empty, j, element, parts, i, create, results);
                    }
                }

                if (!found && create)
                {
                    var element = new JsonObject { [key] = value };
                    array.Add((JsonNode)element);
                    Step(array, string.Empty, array.Count - 1, element, parts, i, create, results);
                }

                return;
            }

            if (int.TryParse(part, out var index) && index >= 0 && index < array.Count)
            {
                Step(array, string.Empty, index, array[index], parts, i, create, results);
            }
            else if (create && index == array.Count && !last)
            {
                var element = NewContainer(parts[i + 1]);
                array.Add(element);
                Step(array, string.Empty, index, element, parts, i, create, results);
            }

            return;
        }

        if (node is not JsonObject map)
        {
            return;
        }

        var name = part.StartsWith('[') && part.EndsWith(']') && !part.Contains('=') ? part[1..^1] : part;
        if (name.EndsWith(']') && name.Contains('['))
        {
            // a[0] form: field then index.
            var open = name.IndexOf('[');
            var field = name[..open];
            if (map[field] is JsonArray list && int.TryParse(name[(open + 1)..^1], out var idx) && idx >= 0 && idx < list.Count)
            {
                Step(list, string.Empty, idx, list[idx], parts, i, create, results);
            }

            return;
        }

        if (name == "*")
        {
            foreach (var (k, v) in map.ToArray())
            {
                Step(map, k, -1, v, parts, i, create, results);
            }

            return;
        }

        if (!map.TryGetPropertyValue(name, out var child) || child is null)
        {
            if (!create)
            {
                if (last && map.ContainsKey(name))
                {
                    results.Add((map, name, -1));
                }

                return;
            }

            if (!last)
            {
                child = NewContainer(parts[i + 1]);
                map[name] = child;
            }
        }

        Step(map, name, -1, child, parts, i, create, results);
    }

    private static JsonNode NewContainer(string nextPart) =>
        (nextPart.StartsWith('[') && nextPart.Contains('=')) || int.TryParse(nextPart, out _) ? new JsonArray() : new JsonObject();

    private static void Step(JsonNode parent, string key, int index, JsonNode? child, List<string> parts, int i, bool create, List<(JsonNode, string, int)> results)
    {
        if (i == parts.Count - 1)
        {
            results.Add((parent, key, index));
            return;
        }

        if (child is not null)
        {
            Resolve(child, parts, i + 1, create, results);
        }
    }

    public static JsonNode? Get((JsonNode Parent, string Key, int Index) at) =>
        at.Index >= 0 ? ((JsonArray)at.Parent)[at.Index] : ((JsonObject)at.Parent)[at.Key];

    public static void Set((JsonNode Parent, string Key, int Index) at, JsonNode? value)
    {
        if (at.Index >= 0)
        {
            ((JsonArray)at.Parent)[at.Index] = value;
        }
        else
        {
            ((JsonObject)at.Parent)[at.Key] = value;
        }
    }
}
