using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Diff;

/// <summary>Equality of JSON scalars as Kubernetes sees them: numbers by value, not by spelling.</summary>
internal static class Scalars
{
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (a is JsonValue va && b is JsonValue vb
            && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
        {
            return Number(va) == Number(vb);
        }

        return JsonNode.DeepEquals(a, b);
    }

    private static decimal? Number(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
}
