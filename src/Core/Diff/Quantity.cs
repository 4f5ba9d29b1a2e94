using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Core.Diff;

/// <summary>Kubernetes resource quantities ("500m", "1Gi", "1e3"), compared by value so "1000m" equals "1".</summary>
public static partial class Quantity
{
    private static readonly Dictionary<string, decimal> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["n"] = 0.000000001m,
        ["u"] = 0.000001m,
        ["m"] = 0.001m,
        ["k"] = 1_000m,
        ["M"] = 1_000_000m,
        ["G"] = 1_000_000_000m,
        ["T"] = 1_000_000_000_000m,
        ["P"] = 1_000_000_000_000_000m,
        ["E"] = 1_000_000_000_000_000_000m,
        ["Ki"] = 1024m,
        ["Mi"] = 1024m * 1024,
        ["Gi"] = 1024m * 1024 * 1024,
        ["Ti"] = 1024m * 1024 * 1024 * 1024,
        ["Pi"] = 1024m * 1024 * 1024 * 1024 * 1024,
        ["Ei"] = 1024m * 1024 * 1024 * 1024 * 1024 * 1024,
    };

    /// <summary>Parses a quantity into its value; false when the text is not a quantity.</summary>
    public static bool TryParse(string text, out decimal value)
    {
        value = 0;
        var match = Pattern().Match(text);
        if (!match.Success || !Suffixes.TryGetValue(match.Groups["suffix"].Value, out var multiplier))
        {
            return false;
        }

        if (!decimal.TryParse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        try
        {
            value = number * multiplier;
            if (match.Groups["exp"].Success)
            {
                var exponent = int.Parse(match.Groups["exp"].Value, CultureInfo.InvariantCulture);
                for (var i = 0; i < Math.Abs(exponent); i++)
                {
                    value = exponent > 0 ? value * 10 : value / 10;
                }
            }
        }
        catch (OverflowException)
        {
            return false;
        }

        return true;
    }

    /// <summary>True when both texts are quantities of the same value.</summary>
    public static bool Equivalent(string a, string b) =>
        TryParse(a, out var x) && TryParse(b, out var y) && x == y;

    [GeneratedRegex(@"^(?<number>[+-]?(\d+(\.\d*)?|\.\d+))((?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE](?<exp>[+-]?\d+))?$")]
    private static partial Regex Pattern();
}
