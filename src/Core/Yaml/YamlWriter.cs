using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Yaml;

/// <summary>Writes JSON nodes as block YAML in the style `kustomize build` prints: sorted keys, unindented sequences.</summary>
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
                builder.Append(Inline(node, 0)).Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder builder, JsonObject obj, int indent, bool firstLineIndented = true)
    {
        var first = true;
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!first || firstLineIndented)
            {
                builder.Append(' ', indent);
            }

            first = false;
            builder.Append(Scalar(key, indent)).Append(':');
            WriteValue(builder, value, indent, indent + 2);
        }
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
                    builder.Append(' ').Append(Inline(item, indent + 2)).Append('\n');
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
                builder.Append(' ').Append(Inline(value, childIndent)).Append('\n');
                break;
        }
    }

    private static string Inline(JsonNode? node, int indent) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Scalar(value.GetValue<string>(), indent),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => Number(value),
            _ => value.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static string Number(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<double>(out var d))
        {
            return d.ToString("R", CultureInfo.InvariantCulture);
        }

        return value.ToJsonString();
    }

    /// <summary>Formats a string scalar: plain when it reads back as the same string, else a literal block or double quotes.</summary>
    internal static string Scalar(string text, int indent)
    {
        if (IsPlainSafe(text))
        {
            return text;
        }

        if (text.Contains('\n') && IsBlockSafe(text))
        {
            return Block(text, indent);
        }

        return JsonSerializer.Serialize(text, QuoteOptions);
    }

    private static readonly JsonSerializerOptions QuoteOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly HashSet<string> Yaml11Words = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "on", "On", "ON", "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE",
        "null", "Null", "NULL", "~", "=", "<<",
    };

    private static bool IsPlainSafe(string text)
    {
        if (text.Length == 0 || Yaml11Words.Contains(text))
        {
            return false;
        }

        // Only text starting like a number can resolve to one; null and boolean words are in the word list above.
        if (text[0] is (>= '0' and <= '9') or '+' or '-' or '.'
            && (YamlReader.Resolve(text) is not JsonValue resolved || resolved.GetValueKind() != JsonValueKind.String))
        {
            return false;
        }

        // Numbers in forms YAML 1.1 would read as numbers (1_000, 0b1, 1:20) also stay quoted.
        if (char.IsDigit(text[0]) && text.All(c => char.IsDigit(c) || c is '_' or '.' or ':' or 'e' or 'E' or '+' or '-'))
        {
            return false;
        }

        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0]))
        {
            if (!(text[0] is '-' or '?' or ':' && text.Length > 1 && !char.IsWhiteSpace(text[1]) && text[0] != ':'))
            {
                return false;
            }
        }

        if (text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) || c == '\uFEFF')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsBlockSafe(string text)
    {
        foreach (var c in text)
        {
            if (c != '\n' && (char.IsControl(c) || c == '\uFEFF'))
            {
                return false;
            }
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[^1]))
            {
                return false;
            }
        }

        return !char.IsWhiteSpace(text[0]);
    }

    private static string Block(string text, int indent)
    {
        var chomp = text.EndsWith("\n\n", StringComparison.Ordinal) ? "+" : text.EndsWith('\n') ? string.Empty : "-";
        var body = text.EndsWith('\n') ? text[..^1] : text;
        if (chomp == "+")
        {
            body = text[..^1];
        }

        var builder = new StringBuilder("|").Append(chomp);
        foreach (var line in body.Split('\n'))
        {
            builder.Append('\n');
            if (line.Length > 0)
            {
                builder.Append(' ', indent).Append(line);
            }
        }

        return builder.ToString();
    }
}
