using System.Text.RegularExpressions;

namespace Ferry.Functions.Tests.Infra;

/// <summary>
/// Just enough of Bicep to hold the templates to the code without a Bicep compiler: a lexer that knows comments,
/// single-quoted strings with escapes and <c>${…}</c> interpolation, and <c>'''</c> multi-line strings, so it can check
/// bracket and quote balance; and readers for the top-level <c>param</c>, <c>var</c>, <c>resource</c> and <c>module</c>
/// declarations and the first-level keys of an object.
/// </summary>
internal sealed partial class BicepFile
{
    private readonly Dictionary<int, int> _pairs = [];
    private readonly bool[] _code;

    private BicepFile(string path, string text)
    {
        Path = path;
        Text = text;
        _code = new bool[text.Length];
        Problems = Lex();
        if (Problems.Count == 0)
        {
            Read();
        }
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>The file's text.</summary>
    public string Text { get; }

    /// <summary>Lexical problems (unbalanced brackets, unterminated strings or comments), with line numbers.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Parameters: name → (type, has a default).</summary>
    public Dictionary<string, (string Type, bool HasDefault)> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Variables: name → the value's text.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources in file order.</summary>
    public List<BicepDeclaration> Resources { get; } = [];

    /// <summary>Modules in file order.</summary>
    public List<BicepDeclaration> Modules { get; } = [];

    /// <summary>Reads and lexes a file.</summary>
    public static BicepFile Load(string path) => new(System.IO.Path.GetFullPath(path), File.ReadAllText(path));

    /// <summary>Lexes text (for tests of the reader itself).</summary>
    public static BicepFile Parse(string text) => new("inline.bicep", text);

    /// <summary>The first-level keys of the object whose <c>{</c> is at <paramref name="open"/>, each with its value's text.</summary>
    public Dictionary<string, string> Keys(int open)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var close = _pairs[open];
        var lineStart = true;
        for (var i = open + 1; i < close; i++)
        {
            var c = Text[i];
            if (c == '\n')
            {
                lineStart = true;
                continue;
            }

            if (!_code[i] || char.IsWhiteSpace(c))
            {
                lineStart &= char.IsWhiteSpace(c);
                continue;
            }

            if (lineStart)
            {
                var key = KeyAt().Match(Text, i);
                if (key.Success && key.Index == i)
                {
                    var valueStart = i + key.Length;
                    var valueEnd = ValueEnd(valueStart, close);
                    keys[key.Groups["key"].Value.Trim('\'')] = Text[valueStart..valueEnd].Trim();
                    i = valueEnd - 1;
                    lineStart = false;
                    continue;
                }
            }

            lineStart = false;
            if (_pairs.TryGetValue(i, out var end))
            {
                i = end;
            }
        }

        return keys;
    }

    /// <summary>The positions of the objects that are elements of the array whose <c>[</c> is at <paramref name="open"/>.</summary>
    public IReadOnlyList<int> ArrayObjects(int open)
    {
        var objects = new List<int>();
        for (var i = open + 1; i < _pairs[open]; i++)
        {
            if (_code[i] && _pairs.TryGetValue(i, out var end))
            {
                if (Text[i] == '{')
                {
                    objects.Add(i);
                }

                i = end;
            }
        }

        return objects;
    }

    /// <summary>The position of the first bracket of a variable's value.</summary>
    public int VariableOpen(string name)
    {
        var declaration = new Regex($@"(?m)^var\s+{Regex.Escape(name)}\s*=\s*").Match(Text);
        return declaration.Success && _pairs.ContainsKey(declaration.Index + declaration.Length)
            ? declaration.Index + declaration.Length
            : throw new InvalidOperationException($"{Path}: var {name} is not an array or object");
    }

    /// <summary>The first-level keys of a declaration's body object.</summary>
    public Dictionary<string, string> Keys(BicepDeclaration declaration) => Keys(declaration.BodyStart);

    /// <summary>The position of the first <c>{</c> in code at or after <paramref name="from"/>.</summary>
    public int ObjectAfter(int from)
    {
        for (var i = from; i < Text.Length; i++)
        {
            if (_code[i] && Text[i] == '{')
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{Path}: no object after offset {from}");
    }

    /// <summary>The first-level keys of the object value of <paramref name="key"/> in the object at <paramref name="open"/>.</summary>
    public Dictionary<string, string> Nested(int open, string key)
    {
        var close = _pairs[open];
        var match = new Regex($@"(?m)^\s*{Regex.Escape(key)}\s*:\s*\{{").Matches(Text[..close]).FirstOrDefault(m => m.Index > open && _code[m.Index + m.Length - 1])
            ?? throw new InvalidOperationException($"{Path}: no object '{key}' in the object at offset {open}");
        return Keys(match.Index + match.Length - 1);
    }

    private int ValueEnd(int start, int limit)
    {
        for (var i = start; i < limit; i++)
        {
            if (_code[i] && _pairs.TryGetValue(i, out var end))
            {
                i = end;
                continue;
            }

            if (Text[i] == '\n')
            {
                // A value continues on the next line when it is a multi-line ternary or operator chain.
                var next = Text.AsSpan(i + 1, limit - i - 1).TrimStart();
                if (!(next.StartsWith("?") || next.StartsWith(":") || next.StartsWith("&&") || next.StartsWith("||")))
                {
                    return i;
                }
            }
        }

        return limit;
    }

    private void Read()
    {
        foreach (Match m in Declaration().Matches(Text))
        {
            if (!_code[m.Index])
            {
                continue;
            }

            var kind = m.Groups["kind"].Value;
            var name = m.Groups["name"].Value;
            var rest = m.Groups["rest"].Value;
            switch (kind)
            {
                case "param":
                    var type = rest.Split([' ', '='], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
                    Parameters[name] = (type, rest.Contains('=', StringComparison.Ordinal));
                    break;
                case "var":
                    var valueStart = m.Groups["rest"].Index + rest.IndexOf('=', StringComparison.Ordinal) + 1;
                    Variables[name] = Text[valueStart..ValueEnd(valueStart, Text.Length)].Trim();
                    break;
                case "resource":
                case "module":
                    var quoted = QuotedAtStart().Match(rest);
                    var bodyStart = ObjectAfter(m.Groups["rest"].Index);
                    var declaration = new BicepDeclaration(name, quoted.Groups["text"].Value, bodyStart, _pairs[bodyStart],
                        rest.Contains(" existing", StringComparison.Ordinal), Text[bodyStart.._pairs[bodyStart]]);
                    (kind == "resource" ? Resources : Modules).Add(declaration);
                    break;
            }
        }
    }

    private List<string> Lex()
    {
        var problems = new List<string>();
        var stack = new Stack<(char Open, int At)>();
        var inString = false;
        var i = 0;
        while (i < Text.Length)
        {
            var c = Text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i += 2;
                }
                else if (c == '\'')
                {
                    inString = false;
                    i++;
                }
                else if (c == '$' && At(i + 1, '{'))
                {
                    _code[i + 1] = true;
                    stack.Push(('$', i + 1));
                    inString = false;
                    i += 2;
                }
                else if (c == '\n')
                {
                    problems.Add($"line {Line(i)}: string not closed before the end of the line");
                    inString = false;
                    i++;
                }
                else
                {
                    i++;
                }

                continue;
            }

            if (c == '/' && At(i + 1, '/'))
            {
                var end = Text.IndexOf('\n', i);
                i = end < 0 ? Text.Length : end;
                continue;
            }

            if (c == '/' && At(i + 1, '*'))
            {
                var end = Text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    problems.Add($"line {Line(i)}: comment not closed");
                    break;
                }

                i = end + 2;
                continue;
            }

            if (Text.AsSpan(i).StartsWith("'''"))
            {
                var end = Text.IndexOf("'''", i + 3, StringComparison.Ordinal);
                if (end < 0)
                {
                    problems.Add($"line {Line(i)}: multi-line string not closed");
                    break;
                }

                i = end + 3;
                continue;
            }

            _code[i] = true;
            if (c == '\'')
            {
                _code[i] = false;
                inString = true;
            }
            else if (c is '(' or '[' or '{')
            {
                stack.Push((c, i));
            }
            else if (c is ')' or ']' or '}')
            {
                if (stack.Count == 0)
                {
                    problems.Add($"line {Line(i)}: '{c}' closes nothing");
                }
                else
                {
                    var (open, at) = stack.Pop();
                    if (open == '$' && c == '}')
                    {
                        // The end of an interpolation: back inside the string.
                        _pairs[at] = i;
                        _code[i] = true;
                        inString = true;
                    }
                    else if (Closer(open) != c)
                    {
                        problems.Add($"line {Line(i)}: '{c}' closes '{(open == '$' ? "${" : open.ToString())}' opened on line {Line(at)}");
                    }
                    else
                    {
                        _pairs[at] = i;
                    }
                }
            }

            i++;
        }

        if (inString)
        {
            problems.Add("string not closed at the end of the file");
        }

        foreach (var (open, at) in stack)
        {
            problems.Add($"line {Line(at)}: '{(open == '$' ? "${" : open.ToString())}' is never closed");
        }

        return problems;
    }

    private bool At(int index, char c) => index < Text.Length && Text[index] == c;

    private int Line(int index) => Text.AsSpan(0, Math.Min(index, Text.Length)).Count('\n') + 1;

    private static char Closer(char open) => open switch
    {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        _ => '\0',
    };

    [GeneratedRegex(@"(?m)^(?<kind>param|var|resource|module)\s+(?<name>\w+)(?<rest>[^\n]*)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"^\s*'(?<text>[^']*)'")]
    private static partial Regex QuotedAtStart();

    [GeneratedRegex(@"(?<key>'[^']+'|\w+)\s*:")]
    private static partial Regex KeyAt();
}

/// <summary>A <c>resource</c> or <c>module</c> declaration: symbol, type (or module path), body span and text.</summary>
internal sealed record BicepDeclaration(string Symbol, string Type, int BodyStart, int BodyEnd, bool Existing, string Body);
