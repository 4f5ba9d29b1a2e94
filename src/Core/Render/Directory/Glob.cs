using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Core.Render.Directory;

/// <summary>
/// Glob patterns with the syntax Argo CD uses (gobwas/glob): <c>*</c>, <c>**</c>, <c>?</c>, <c>[a-z]</c>, <c>[!x]</c>,
/// <c>{a,b}</c> alternation and <c>\</c> escapes. Without a separator <c>*</c> crosses <c>/</c>, as in Argo's directory include/exclude.
/// </summary>
internal sealed class Glob
{
    private readonly Regex regex;

    private Glob(Regex regex) => this.regex = regex;

    /// <summary>Compiles a pattern; with <paramref name="separator"/> set, <c>*</c> and <c>?</c> stop at it and only <c>**</c> crosses it.</summary>
    public static Glob Compile(string pattern, char? separator = null)
    {
        var builder = new StringBuilder("^");
        var depth = 0;
        var notSeparator = separator is { } s ? $"[^{Regex.Escape(s.ToString())}]" : ".";
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    builder.Append(".*");
                    i++;
                    break;
                case '*':
                    builder.Append(notSeparator).Append('*');
                    break;
                case '?':
                    builder.Append(notSeparator);
                    break;
                case '\\' when i + 1 < pattern.Length:
                    builder.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        builder.Append(@"\[");
                        break;
                    }

                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('!') || body.StartsWith('^');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    builder.Append('[').Append(negate ? "^" : string.Empty).Append(body.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("[", @"\[", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '{':
                    depth++;
                    builder.Append("(?:");
                    break;
                case '}' when depth > 0:
                    depth--;
                    builder.Append(')');
                    break;
                case ',' when depth > 0:
                    builder.Append('|');
                    break;
                default:
                    builder.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        if (depth != 0)
        {
            throw new ArgumentException($"unbalanced braces in glob '{pattern}'", nameof(pattern));
        }

        builder.Append('$');
        return new Glob(new Regex(builder.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
    }

    /// <summary>True when the whole text matches.</summary>
    public bool IsMatch(string text) => regex.IsMatch(text);

    /// <summary>Compiles and matches once.</summary>
    public static bool Match(string pattern, string text, char? separator = null) => Compile(pattern, separator).IsMatch(text);
}
