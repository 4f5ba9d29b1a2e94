using System.Globalization;
using System.Text.Json;

namespace Ferry.Functions.Hosting;

/// <summary>Lenient readers for host payload values, which arrive as numbers or strings depending on the trigger extension.</summary>
internal static class JsonValues
{
    public static string? GetString(JsonElement obj, string name) =>
        TryGetProperty(obj, name, out var value) ? AsString(value) : null;

    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    public static long? AsInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static bool? GetBoolean(JsonElement obj, string name)
    {
        if (!TryGetProperty(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var b) => b,
            _ => null,
        };
    }

    public static DateTimeOffset? GetDateTimeOffset(JsonElement obj, string name) =>
        TryGetProperty(obj, name, out var value) ? AsDateTimeOffset(value) : null;

    public static DateTimeOffset? AsDateTimeOffset(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object)
        {
            if (obj.TryGetProperty(name, out value))
            {
                return true;
            }

            foreach (var property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
