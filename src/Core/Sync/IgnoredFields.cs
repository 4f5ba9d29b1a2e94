using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Diff;
using Ferry.Core.Resources;

namespace Ferry.Core.Sync;

/// <summary>
/// RespectIgnoreDifferences: fields an <c>ignoreDifferences</c> rule names keep their live values when an object is applied,
/// instead of being reset to Git's (Argo CD does the same for objects that already exist).
/// </summary>
internal static partial class IgnoredFields
{
    /// <summary>Copies the live values of ignored fields into <paramref name="desired"/>; returns warnings for rules it cannot honour.</summary>
    public static IReadOnlyList<string> KeepLive(JsonObject desired, JsonObject live, ResourceKey key, DiffOptions options)
    {
        var warnings = new List<string>();
        foreach (var rule in options.IgnoreDifferences.Where(r => ObjectDiffer.Applies(r, key)))
        {
            foreach (var pointer in rule.JsonPointers)
            {
                CopyPointer(desired, live, pointer);
            }

            foreach (var jq in rule.JqPathExpressions)
            {
                if (PlainPath().IsMatch(jq))
                {
                    CopyPointer(desired, live, "/" + string.Join('/', jq.TrimStart('.').Split('.').Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));
                }
                else
                {
                    warnings.Add($"{key}: RespectIgnoreDifferences honours JSON pointers and plain jq paths only; '{jq}' is applied as in Git");
                }
            }

            // Fields owned by the named managers are left out of what Ferry applies: server-side apply then keeps the other manager's value.
            if (rule.ManagedFieldsManagers.Count > 0)
            {
                foreach (var set in ManagedFields.Sets(live, rule.ManagedFieldsManagers))
                {
                    ManagedFields.Remove(desired, set);
                }
            }
        }

        return warnings;
    }

    private static void CopyPointer(JsonObject desired, JsonObject live, string pointer)
    {
        var tokens = pointer.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        if (tokens.Length == 0 || tokens[0].Length == 0 || tokens[0] is "metadata" && tokens.Length < 2)
        {
            return;
        }

        JsonNode? source = live;
        foreach (var token in tokens)
        {
            source = Child(source, token);
            if (source is null)
            {
                break;
            }
        }

        // Walk desired to the parent, creating objects along the way only when there is a live value to put there.
        JsonNode? parent = desired;
        for (var i = 0; i < tokens.Length - 1; i++)
        {
            var next = Child(parent, tokens[i]);
            if (next is null)
            {
                if (source is null || parent is not JsonObject parentObject)
                {
                    return;
                }

                next = new JsonObject();
                parentObject[tokens[i]] = next;
            }

            parent = next;
        }

        switch (parent)
        {
            case JsonObject obj when source is null:
                obj.Remove(tokens[^1]);
                break;
            case JsonObject obj:
                obj[tokens[^1]] = source.DeepClone();
                break;
            case JsonArray array when int.TryParse(tokens[^1], out var index) && index < array.Count && source is not null:
                array[index] = source.DeepClone();
                break;
        }
    }

    private static JsonNode? Child(JsonNode? node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
        _ => null,
    };

    [GeneratedRegex(@"^(\.[A-Za-z_][A-Za-z0-9_\-]*)+$")]
    private static partial Regex PlainPath();
}
