using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ferry.Core.Diff;

/// <summary>Removes fields named by JSON pointers or simple jq paths, for <c>ignoreDifferences</c>.</summary>
public static partial class FieldPaths
{
    /// <summary>Removes the field an RFC 6901 pointer names, if present.</summary>
    public static void RemovePointer(JsonNode? root, string pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer == "/")
        {
            return;
        }

        var tokens = pointer.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var node = root;
        for (var i = 0; i < tokens.Length - 1 && node is not null; i++)
        {
            node = node switch
            {
                JsonObject obj => obj[tokens[i]],
                JsonArray array when int.TryParse(tokens[i], out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        switch (node)
        {
            case JsonObject parent:
                parent.Remove(tokens[^1]);
                break;
            case JsonArray list when int.TryParse(tokens[^1], out var last) && last < list.Count:
                list.RemoveAt(last);
                break;
        }
    }

    /// <summary>Removes what a jq path expression selects: <c>.a.b</c>, <c>.a[]</c>, <c>.a[0]</c>, <c>.a["k"]</c>, <c>.a[] | select(.name == "x") | .b</c>.</summary>
    public static void RemoveJq(JsonNode? root, string expression)
    {
        var steps = ParseJq(expression);
        if (steps.Count == 0)
        {
            throw new FormatException($"unsupported jq path expression '{expression}'");
        }

        Remove(root, steps, 0);
    }

    private static void Remove(JsonNode? node, IReadOnlyList<JqStep> steps, int index)
    {
        if (node is null)
        {
            return;
        }

        var step = steps[index];
        var last = index == steps.Count - 1;
        switch (step)
        {
            case { Field: { } field } when node is JsonObject obj:
                if (last)
                {
                    obj.Remove(field);
                }
                else
                {
                    Remove(obj[field], steps, index + 1);
                }

                break;
            case { Index: { } i } when node is JsonArray array && i < array.Count:
                if (last)
                {
                    array.RemoveAt(i);
                }
                else
                {
                    Remove(array[i], steps, index + 1);
                }

                break;
            case { Each: true } when node is JsonArray array:
                var select = index + 1 < steps.Count ? steps[index + 1].Select : null;
                var next = select is null ? index + 1 : index + 2;
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (select is not null && !Scalars.Equal(array[i]?[select.Value.Field], JsonValue.Create(select.Value.Value)))
                    {
                        continue;
                    }

                    if (next >= steps.Count)
                    {
                        array.RemoveAt(i);
                    }
                    else
                    {
                        Remove(array[i], steps, next);
                    }
                }

                break;
        }
    }

    private sealed record JqStep(string? Field = null, int? Index = null, bool Each = false, (string Field, string Value)? Select = null);

    private static List<JqStep> ParseJq(string expression)
    {
        var steps = new List<JqStep>();
        foreach (var part in expression.Split('|', StringSplitOptions.TrimEntries))
        {
            var select = SelectPattern().Match(part);
            if (select.Success)
            {
                steps.Add(new JqStep(Select: (select.Groups["field"].Value, select.Groups["value"].Value)));
                continue;
            }

            var matches = StepPattern().Matches(part);
            if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != part)
            {
                return [];
            }

            foreach (Match m in matches)
            {
                if (m.Groups["field"].Success)
                {
                    steps.Add(new JqStep(Field: m.Groups["field"].Value));
                }
                else if (m.Groups["quoted"].Success)
                {
                    steps.Add(new JqStep(Field: m.Groups["quoted"].Value));
                }
                else if (m.Groups["index"].Success)
                {
                    steps.Add(new JqStep(Index: int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)));
                }
                else
                {
                    steps.Add(new JqStep(Each: true));
                }
            }
        }

        return steps;
    }

    [GeneratedRegex(@"\.(?<field>[A-Za-z_][A-Za-z0-9_\-]*)|\.?\[""(?<quoted>[^""]*)""\]|\[(?<index>\d+)\]|\[\]")]
    private static partial Regex StepPattern();

    [GeneratedRegex(@"^select\(\s*\.(?<field>[A-Za-z_][A-Za-z0-9_]*)\s*==\s*""(?<value>[^""]*)""\s*\)$")]
    private static partial Regex SelectPattern();
}
