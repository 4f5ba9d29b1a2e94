using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Yaml;

/// <summary>Writes JSON nodes as block YAML the way `kustomize build` prints them (Go's yaml.v2 emitter): sorted keys, unindented sequences, its quoting and line folding.</summary>
public static class YamlWriter
{
    /// <summary>Writes several documents separated by <c>---</c>.</summary>
    public static string WriteAll(IEnumerable<JsonNode?> documents)
    {
        var builder = new StringBuilder();
        var first = true;
        foreach (var document in documents)
        {
            if (!first)
            {
                builder.Append("---\n");
            }

            first = false;
            Write(builder, document);
        }

        return builder.ToString();
    }

    /// <summary>Writes one document.</summary>
    public static string Write(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                WriteMapping(builder, obj, 0);
                break;
            case JsonArray array when array.Count > 0:
                WriteSequence(builder, array, 0);
                break;
            default:
                WriteInline(builder, node, 2);
                builder.Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder builder, JsonObject obj, int indent, bool firstLineIndented = true)
    {
        var first = true;
        foreach (var (key, value) in obj.OrderBy(p => p.Key, KeyComparer))
        {
            if (!first || firstLineIndented)
            {
                builder.Append(' ', indent);
            }

            first = false;
            YamlScalarEmitter.Write(builder, key, indent + 2, isKey: true);
            builder.Append(':');
            WriteValue(builder, value, indent, indent + 2);
        }
    }

    private static readonly Comparer<string> KeyComparer = Comparer<string>.Create(CompareKeys);

    /// <summary>yaml.v2's key order: letters before other characters, runs of digits by numeric value.</summary>
    internal static int CompareKeys(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        return Less(a, b) ? -1 : Less(b, a) ? 1 : string.CompareOrdinal(a, b);
    }

    private static bool Less(string a, string b)
    {
        var ar = a.EnumerateRunes().ToArray();
        var br = b.EnumerateRunes().ToArray();
        for (var i = 0; i < ar.Length && i < br.Length; i++)
        {
            if (ar[i] == br[i])
            {
                continue;
            }

            var al = Rune.IsLetter(ar[i]);
            var bl = Rune.IsLetter(br[i]);
            if (al && bl)
            {
                return ar[i] < br[i];
            }

            if (al || bl)
            {
                return bl;
            }

            long an = 0, bn = 0;
            if (ar[i].Value == '0' || br[i].Value == '0')
            {
                for (var j = i - 1; j >= 0 && Rune.IsDigit(ar[j]); j--)
                {
                    if (ar[j].Value != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }

            int ai, bi;
            for (ai = i; ai < ar.Length && Rune.IsDigit(ar[ai]); ai++)
            {
                an = (an * 10) + (ar[ai].Value - '0');
            }

            for (bi = i; bi < br.Length && Rune.IsDigit(br[bi]); bi++)
            {
                bn = (bn * 10) + (br[bi].Value - '0');
            }

            if (an != bn)
            {
                return an < bn;
            }

            if (ai != bi)
            {
                return ai < bi;
            }

            return ar[i] < br[i];
        }

        return ar.Length < br.Length;
    }

    private static void WriteSequence(StringBuilder builder, JsonArray array, int indent, bool firstLineIndented = true)
    {
        var first = true;
        foreach (var item in array)
        {
            if (!first || firstLineIndented)
            {
                builder.Append(' ', indent);
            }

            first = false;
            builder.Append('-');
            switch (item)
            {
                case JsonObject obj when obj.Count > 0:
                    builder.Append(' ');
                    WriteMapping(builder, obj, indent + 2, firstLineIndented: false);
                    break;
                case JsonArray nested when nested.Count > 0:
                    builder.Append(' ');
                    WriteSequence(builder, nested, indent + 2, firstLineIndented: false);
                    break;
                default:
                    builder.Append(' ');
                    WriteInline(builder, item, indent + 2);
                    builder.Append('\n');
                    break;
            }
        }
    }

    private static void WriteValue(StringBuilder builder, JsonNode? value, int keyIndent, int childIndent)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0:
                builder.Append('\n');
                WriteMapping(builder, obj, childIndent);
                break;
            case JsonArray array when array.Count > 0:
                builder.Append('\n');
                WriteSequence(builder, array, keyIndent);
                break;
            default:
                builder.Append(' ');
                WriteInline(builder, value, childIndent);
                builder.Append('\n');
                break;
        }
    }

    private static void WriteInline(StringBuilder builder, JsonNode? node, int indent)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject:
                builder.Append("{}");
                break;
            case JsonArray:
                builder.Append("[]");
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        YamlScalarEmitter.Write(builder, value.GetValue<string>(), indent, isKey: false);
                        break;
                    case JsonValueKind.True:
                        builder.Append("true");
                        break;
                    case JsonValueKind.False:
                        builder.Append("false");
                        break;
                    case JsonValueKind.Number:
                        builder.Append(Number(value));
                        break;
                    default:
                        builder.Append(value.ToJsonString());
                        break;
                }

                break;
            default:
                builder.Append(node.ToJsonString());
                break;
        }
    }

    private static string Number(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<ulong>(out var u))
        {
            return u.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return JsonRoundTrip(d);
        }

        return value.ToJsonString();
    }

    /// <summary>A float as it prints after Go's JSON encoding (plain digits below 1e21) and yaml.v2's re-reading of that text,
    /// the way kustomize writes its output: a whole number that fits 64 bits reads back as an integer.</summary>
    private static string JsonRoundTrip(double d)
    {
        if (double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 1e21
            && ulong.TryParse(WholeDigits(Math.Abs(d)), NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude)
            && (d >= 0 || magnitude <= 1UL << 63))
        {
            return (d < 0 && magnitude != 0 ? "-" : string.Empty) + magnitude.ToString(CultureInfo.InvariantCulture);
        }

        return GoFloat(d);
    }

    /// <summary>Go's 'f' formatting of a whole number: its shortest round-trip digits, padded with zeros to its magnitude.</summary>
    private static string WholeDigits(double wholeNumber)
    {
        var roundTrip = wholeNumber.ToString("R", CultureInfo.InvariantCulture);
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e < 0)
        {
            return roundTrip;
        }

        var mantissa = roundTrip[..e].Replace(".", string.Empty, StringComparison.Ordinal);
        var exponent = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return mantissa + new string('0', Math.Max(0, exponent + 1 - mantissa.Length));
    }

    /// <summary>Go's strconv.FormatFloat(d, 'g', -1, 64) as yaml.v2 prints floats (shortest digits; exponent form from 1e+06 up and below 1e-04).</summary>
    internal static string GoFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return ".nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? ".inf" : "-.inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        // "R" gives the shortest round-trip digits; take its digits and exponent apart.
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var mantissa = shortest;
        var exponent = 0;
        var e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exponent = int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var point = mantissa.IndexOf('.');
        var digits = (point >= 0 ? mantissa.Remove(point, 1) : mantissa).TrimStart('0');
        var leadingZeros = (point >= 0 ? mantissa.Remove(point, 1) : mantissa).Length - digits.Length;
        var intLength = point >= 0 ? point : mantissa.Length;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        // Decimal point position relative to the first significant digit.
        var dp = intLength - leadingZeros + exponent;
        var exp = dp - 1;
        var sign = d < 0 ? "-" : string.Empty;
        if (exp < -4 || exp >= 6)
        {
            var m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return $"{sign}{m}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):00}";
        }

        if (dp <= 0)
        {
            return sign + "0." + new string('0', -dp) + digits;
        }

        if (dp >= digits.Length)
        {
            return sign + digits + new string('0', dp - digits.Length);
        }

        return sign + digits[..dp] + "." + digits[dp..];
    }
}
