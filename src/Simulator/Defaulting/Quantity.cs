using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ferry.Simulator.Defaulting;

/// <summary>Resource quantities in the canonical form the real server stores (<c>0.5Gi</c> becomes <c>512Mi</c>, <c>0.1</c> becomes <c>100m</c>).</summary>
internal static partial class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Binary =
    [
        ("Ei", 1152921504606846976m), ("Pi", 1125899906842624m), ("Ti", 1099511627776m), ("Gi", 1073741824m), ("Mi", 1048576m), ("Ki", 1024m),
    ];

    private static readonly (string Suffix, int Exponent)[] Decimal =
    [
        ("E", 18), ("P", 15), ("T", 12), ("G", 9), ("M", 6), ("k", 3), (string.Empty, 0), ("m", -3), ("u", -6), ("n", -9),
    ];

    /// <summary>The canonical text of a quantity, or null when the text is not a quantity.</summary>
    public static string? Canonicalize(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var suffix = match.Groups["suffix"].Value;
        var binary = Binary.FirstOrDefault(b => b.Suffix == suffix);
        decimal value;
        try
        {
            if (binary.Suffix is not null)
            {
                value = number * binary.Factor;
            }
            else if (suffix.StartsWith('e') || suffix.StartsWith('E'))
            {
                value = number * Pow10(int.Parse(suffix[1..], CultureInfo.InvariantCulture));
            }
            else
            {
                value = number * Pow10(Decimal.First(d => d.Suffix == suffix).Exponent);
            }
        }
        catch (OverflowException)
        {
            return text;
        }

        // The real server rounds up to nano precision.
        value = Math.Ceiling(value * 1_000_000_000m) / 1_000_000_000m;
        if (binary.Suffix is not null && value == Math.Truncate(value) && Math.Abs(value) >= 1024)
        {
            foreach (var (s, factor) in Binary)
            {
                if (value % factor == 0)
                {
                    return (value / factor).ToString("0", CultureInfo.InvariantCulture) + s;
                }
            }
        }

        if (binary.Suffix is not null && value == Math.Truncate(value))
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        if (value == 0)
        {
            return "0";
        }

        foreach (var (s, exponent) in Decimal)
        {
            var mantissa = value / Pow10(exponent);
            if (mantissa == Math.Truncate(mantissa))
            {
                return mantissa.ToString("0", CultureInfo.InvariantCulture) + s;
            }
        }

        return text;
    }

    /// <summary>Canonicalises every value of a map of quantities (resources.requests, limits, hard) in place.</summary>
    public static void CanonicalizeMap(JsonNode? node)
    {
        if (node is not JsonObject map)
        {
            return;
        }

        foreach (var key in map.Select(p => p.Key).ToList())
        {
            var text = map[key] switch
            {
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
                _ => null,
            };
            if (text is not null && Canonicalize(text) is { } canonical)
            {
                map[key] = canonical;
            }
        }
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10;
        }

        return exponent < 0 ? 1 / result : result;
    }

    [GeneratedRegex(@"^(?<number>[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Pattern();
}
