using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Core.Yaml;

/// <summary>Writes one string scalar as Go's yaml.v2 (libyaml's emitter) does: its style choice (plain, single, double, literal) and its folding of long lines at 80 columns.</summary>
internal static partial class YamlScalarEmitter
{
    private const int BestWidth = 80;
    private const int BestIndent = 2;

    private enum Style
    {
        Plain,
        Single,
        Double,
        Literal,
    }

    /// <summary>Appends <paramref name="text"/>; continuation lines are indented to <paramref name="indent"/>; keys never fold.</summary>
    public static void Write(StringBuilder builder, string text, int indent, bool isKey)
    {
        var analysis = Analyze(text);
        var style = text.Contains('\n') ? Style.Literal : ResolvesToString(text) ? Style.Plain : Style.Double;
        if (isKey && analysis.Multiline)
        {
            style = Style.Double;
        }

        if (style == Style.Plain && (!analysis.BlockPlainAllowed || (text.Length == 0 && isKey)))
        {
            style = Style.Single;
        }

        if (style == Style.Single && !analysis.SingleQuotedAllowed)
        {
            style = Style.Double;
        }

        if (style == Style.Literal && (!analysis.BlockAllowed || isKey))
        {
            style = Style.Double;
        }

        var column = Column(builder);
        var allowBreaks = !isKey;
        switch (style)
        {
            case Style.Plain:
                WritePlainOrSingle(builder, text, indent, column, allowBreaks, single: false);
                break;
            case Style.Single:
                WritePlainOrSingle(builder, text, indent, column, allowBreaks, single: true);
                break;
            case Style.Double:
                WriteDouble(builder, text, indent, column, allowBreaks);
                break;
            default:
                WriteLiteral(builder, text, indent);
                break;
        }
    }

    private static int Column(StringBuilder builder)
    {
        var column = 0;
        for (var i = builder.Length - 1; i >= 0 && builder[i] != '\n'; i--)
        {
            if (!char.IsLowSurrogate(builder[i]))
            {
                column++;
            }
        }

        return column;
    }

    private static void Indent(StringBuilder builder, int indent, ref int column)
    {
        builder.Append('\n').Append(' ', indent);
        column = indent;
    }

    private static void WritePlainOrSingle(StringBuilder builder, string text, int indent, int column, bool allowBreaks, bool single)
    {
        if (single)
        {
            builder.Append('\'');
            column++;
        }

        var spaces = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ')
            {
                var next = i + 1 < text.Length ? text[i + 1] : '\0';
                var mayBreak = allowBreaks && !spaces && column > BestWidth && next != ' ' && (!single || (i > 0 && i < text.Length - 1));
                if (mayBreak)
                {
                    Indent(builder, indent, ref column);
                }
                else
                {
                    builder.Append(' ');
                    column++;
                }

                spaces = true;
                continue;
            }

            if (single && c == '\'')
            {
                builder.Append('\'');
                column++;
            }

            builder.Append(c);
            if (!char.IsHighSurrogate(c))
            {
                column++;
            }

            spaces = false;
        }

        if (single)
        {
            builder.Append('\'');
        }
    }

    private static void WriteDouble(StringBuilder builder, string text, int indent, int column, bool allowBreaks)
    {
        builder.Append('"');
        column++;
        var spaces = false;
        var bom = text.Length > 0 && text[0] == '\uFEFF';
        for (var i = 0; i < text.Length; i++)
        {
            var rune = Rune.GetRuneAt(text, i);
            var c = text[i];
            if (bom || !IsPrintable(rune) || IsBreak(rune) || c is '"' or '\\')
            {
                var escape = Escape(rune);
                builder.Append(escape);
                column += escape.Length;
                spaces = false;
            }
            else if (c == ' ')
            {
                if (allowBreaks && !spaces && column > BestWidth && i != 0 && i != text.Length - 1)
                {
                    Indent(builder, indent, ref column);
                    if (i + 1 < text.Length && text[i + 1] == ' ')
                    {
                        builder.Append('\\');
                        column++;
                    }
                }
                else
                {
                    builder.Append(' ');
                    column++;
                }

                spaces = true;
            }
            else
            {
                builder.Append(rune.ToString());
                column++;
                spaces = false;
            }

            i += rune.Utf16SequenceLength - 1;
        }

        builder.Append('"');
    }

    private static string Escape(Rune rune) => rune.Value switch
    {
        0x00 => "\\0",
        0x07 => "\\a",
        0x08 => "\\b",
        0x09 => "\\t",
        0x0A => "\\n",
        0x0B => "\\v",
        0x0C => "\\f",
        0x0D => "\\r",
        0x1B => "\\e",
        0x22 => "\\\"",
        0x5C => "\\\\",
        0x85 => "\\N",
        0xA0 => "\\_",
        0x2028 => "\\L",
        0x2029 => "\\P",
        <= 0xFF => "\\x" + rune.Value.ToString("X2", CultureInfo.InvariantCulture),
        <= 0xFFFF => "\\u" + rune.Value.ToString("X4", CultureInfo.InvariantCulture),
        _ => "\\U" + rune.Value.ToString("X8", CultureInfo.InvariantCulture),
    };

    private static void WriteLiteral(StringBuilder builder, string text, int indent)
    {
        builder.Append('|');
        if (text[0] is ' ' or '\n')
        {
            builder.Append((char)('0' + BestIndent));
        }

        if (!text.EndsWith('\n'))
        {
            builder.Append('-');
        }
        else if (text.Length == 1 || text[^2] == '\n')
        {
            builder.Append('+');
        }

        var body = text.EndsWith('\n') ? text[..^1] : text;
        foreach (var line in body.Split('\n'))
        {
            builder.Append('\n');
            if (line.Length > 0)
            {
                builder.Append(' ', indent).Append(line);
            }
        }
    }

    private readonly record struct Analysis(bool Multiline, bool BlockPlainAllowed, bool SingleQuotedAllowed, bool BlockAllowed);

    /// <summary>libyaml's yaml_emitter_analyze_scalar, for block context.</summary>
    private static Analysis Analyze(string value)
    {
        if (value.Length == 0)
        {
            return new Analysis(false, true, true, false);
        }

        var blockIndicators = value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal);
        bool lineBreaks = false, special = false, leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        var precededByWhitespace = true;
        for (var i = 0; i < value.Length; i++)
        {
            var rune = Rune.GetRuneAt(value, i);
            var width = rune.Utf16SequenceLength;
            var c = value[i];
            var last = i + width >= value.Length;
            var followedByWhitespace = last || value[i + width] is ' ' or '\t';
            if (i == 0)
            {
                switch (c)
                {
                    case '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                        blockIndicators = true;
                        break;
                    case '?' or ':' or '-' when followedByWhitespace:
                        blockIndicators = true;
                        break;
                }
            }
            else if ((c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace))
            {
                blockIndicators = true;
            }

            if (!IsPrintable(rune) || (i == 0 && c == '\uFEFF'))
            {
                special = true;
            }

            if (c == ' ')
            {
                leadingSpace |= i == 0;
                trailingSpace |= last;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(rune))
            {
                lineBreaks = true;
                leadingBreak |= i == 0;
                trailingBreak |= last;
                spaceBreak |= previousSpace;
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }

            precededByWhitespace = c is ' ' or '\t' || IsBreak(rune);
            i += width - 1;
        }

        bool blockPlain = true, single = true, block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            blockPlain = false;
        }

        if (trailingSpace)
        {
            block = false;
        }

        if (breakSpace)
        {
            blockPlain = false;
            single = false;
        }

        if (spaceBreak || special)
        {
            blockPlain = false;
            single = false;
            block = false;
        }

        if (lineBreaks || blockIndicators)
        {
            blockPlain = false;
        }

        return new Analysis(lineBreaks, blockPlain, single, block);
    }

    private static bool IsBreak(Rune rune) => rune.Value is '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

    private static bool IsPrintable(Rune rune) => rune.Value switch
    {
        0x0A => true,
        >= 0x20 and <= 0x7E => true,
        >= 0xA0 and <= 0xD7FF => true,
        >= 0xE000 and <= 0xFFFD => rune.Value != 0xFEFF,
        >= 0x10000 => false,
        _ => false,
    };

    /// <summary>yaml.v2's resolve: true when the text, written plain, would read back as a string (not null, bool, number, timestamp).</summary>
    internal static bool ResolvesToString(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        var hint = s[0] switch
        {
            '+' or '-' => 'S',
            >= '0' and <= '9' => 'D',
            'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O' or '~' => 'M',
            '.' => '.',
            _ => '\0',
        };
        if (hint != '\0' && Special.Contains(s))
        {
            return false;
        }

        switch (hint)
        {
            case '.':
                if (DotFloat().IsMatch(s))
                {
                    return false;
                }

                break;
            case 'D' or 'S':
                // A timestamp, or a number Go reads (an out-of-range float such as 1e400 stays text).
                if (YamlTimestamp.Normalize(s) is not null || YamlReader.ParseNumber(s) is not null)
                {
                    return false;
                }

                break;
        }

        return !Base60Float().IsMatch(s);
    }

    private static readonly HashSet<string> Special = new(StringComparer.Ordinal)
    {
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
        "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    };

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$")]
    private static partial Regex DotFloat();

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")]
    private static partial Regex Base60Float();

}
