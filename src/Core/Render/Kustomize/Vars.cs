using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Legacy `vars`: values read from objects, substituted for <c>$(NAME)</c> in the varReference fields.</summary>
internal static class Vars
{
    public static void Resolve(ResourceAccumulator ra, string file)
    {
        if (ra.Vars.Count == 0)
        {
            return;
        }

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var v in ra.Vars.OrderBy(v => (string?)v["name"], StringComparer.Ordinal))
        {
            var name = (string?)v["name"] ?? string.Empty;
            var bound = ra.Resources.FirstOrDefault(r => r.RefVarNames.Contains(name))
                ?? throw new RenderException(file, null, $"var '{name}' cannot be mapped to a field in the set of known resources");
            var fieldPath = (string?)v["fieldref"]?["fieldpath"] ?? (string?)v["fieldref"]?["fieldPath"] ?? "metadata.name";
            var found = FieldPath.Resolve(bound.Obj, fieldPath, create: false);
            if (found.Count == 0)
            {
                throw new RenderException(file, null, $"field specified in var '{name}' not found in corresponding resource");
            }

            values[name] = FieldPath.Get(found[0]);
        }

        foreach (var r in ra.Resources)
        {
            foreach (var spec in ra.Config.VarReference)
            {
                FieldWalker.Walk(r, spec, CreateKind.None, (parent, key) =>
                {
                    var replaced = Replace(parent[key], values);
                    if (!ReferenceEquals(replaced, parent[key]))
                    {
                        parent[key] = replaced;
                    }
                });
            }
        }
    }

    private static JsonNode? Replace(JsonNode? node, Dictionary<string, JsonNode?> values)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                if (s.StartsWith("$(", StringComparison.Ordinal) && s.IndexOf(')') == s.Length - 1
                    && values.TryGetValue(s[2..^1], out var whole) && whole is not null
                    && !(whole is JsonValue wv && wv.TryGetValue<string>(out _)))
                {
                    return whole.DeepClone();
                }

                return Expand(s, values);
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var replaced = Replace(array[i], values);
                    if (!ReferenceEquals(replaced, array[i]))
                    {
                        array[i] = replaced;
                    }
                }

                return array;
            case JsonObject map:
                foreach (var (k, value) in map.ToArray())
                {
                    var replaced = Replace(value, values);
                    if (!ReferenceEquals(replaced, value))
                    {
                        map[k] = replaced;
                    }
                }

                return map;
            default:
                return node;
        }
    }

    /// <summary>Kubernetes' $(VAR) expansion: "$$" escapes, unknown names stay as written.</summary>
    public static string Expand(string input, IReadOnlyDictionary<string, JsonNode?> values)
    {
        if (!input.Contains('$'))
        {
            return input;
        }

        var output = new StringBuilder();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '$' && i + 1 < input.Length)
            {
                if (input[i + 1] == '$')
                {
                    output.Append('$');
                    i++;
                    continue;
                }

                if (input[i + 1] == '(')
                {
                    var close = input.IndexOf(')', i + 2);
                    if (close > 0)
                    {
                        var name = input[(i + 2)..close];
                        if (values.TryGetValue(name, out var value))
                        {
                            output.Append(Transformers.ScalarText(value));
                        }
                        else
                        {
                            output.Append(input, i, close - i + 1);
                        }

                        i = close;
                        continue;
                    }
                }
            }

            output.Append(input[i]);
        }

        return output.ToString();
    }
}
