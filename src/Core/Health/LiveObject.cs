using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Tolerant readers for the fields health checks look at; a missing or mistyped field reads as absent.</summary>
internal static class LiveObject
{
    /// <summary>Walks a path of property names from a node, or null when any step is missing.</summary>
    public static JsonNode? At(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(name, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Reads a string at a path, or null.</summary>
    public static string? String(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>Reads an integer at a path, or null (numbers written as whole doubles count).</summary>
    public static long? Long(this JsonNode? node, params ReadOnlySpan<string> path)
    {
        if (node.At(path) is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<double>(out var d) && d == Math.Floor(d))
        {
            return (long)d;
        }

        return long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out l) ? l : null;
    }

    /// <summary>Reads an integer at a path, or zero as Go's typed structs do for absent fields.</summary>
    public static long LongOrZero(this JsonNode? node, params ReadOnlySpan<string> path) => node.Long(path) ?? 0;

    /// <summary>True only when the value at the path is the JSON literal <c>true</c>.</summary>
    public static bool IsTrue(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The objects of an array at a path (non-objects skipped), or nothing.</summary>
    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params ReadOnlySpan<string> path) =>
        node.At(path) is JsonArray array ? array.OfType<JsonObject>() : [];

    /// <summary>The first <c>status.conditions</c> entry of a type, or null.</summary>
    public static JsonObject? Condition(this JsonObject live, string type) =>
        live.Objects("status", "conditions").FirstOrDefault(c => c.String("type") == type);

    /// <summary>An annotation value, or null.</summary>
    public static string? Annotation(this JsonObject live, string name) => live.String("metadata", "annotations", name);

    /// <summary>The object's name, or an empty string.</summary>
    public static string Name(this JsonObject live) => live.String("metadata", "name") ?? string.Empty;

    /// <summary>Turns Go's empty-string message into no message.</summary>
    public static string? NullIfEmpty(this string? text) => string.IsNullOrEmpty(text) ? null : text;
}
