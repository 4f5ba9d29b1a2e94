using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Apps.ApplicationSets;

/// <summary>
/// The part of Go's <c>text/template</c> (with Sprig's helpers) that ApplicationSet templates use: <c>{{ .a.b }}</c>, pipelines,
/// <c>if</c>/<c>else if</c>/<c>else</c>, <c>range</c> (with <c>$i, $v :=</c>), <c>index</c>, <c>default</c>, <c>lower</c>, <c>upper</c>,
/// <c>replace</c>, <c>trimPrefix</c>, <c>trimSuffix</c>, <c>printf</c>, <c>eq</c>, <c>ne</c>, <c>not</c>, <c>and</c>, <c>or</c>,
/// <c>len</c>, <c>quote</c>, <c>toJson</c>, and <c>{{-</c>/<c>-}}</c> trimming. Anything else is a <see cref="FormatException"/>.
/// </summary>
internal sealed class GoTemplate
{
    private const string NoValue = "<no value>";
    private readonly List<Node> _nodes;

    private GoTemplate(List<Node> nodes) => _nodes = nodes;

    /// <summary>Parses a template; throws <see cref="FormatException"/> on syntax Ferry does not know.</summary>
    public static GoTemplate Parse(string text)
    {
        var tokens = Lex(text);
        var position = 0;
        var nodes = ParseList(tokens, ref position, out var stop);
        if (stop is not null)
        {
            throw new FormatException($"unexpected {{{{{stop}}}}}");
        }

        return new GoTemplate(nodes);
    }

    /// <summary>Renders with <paramref name="data"/> as <c>.</c>; with <paramref name="missingKeyError"/> a missing map key is an error (<c>missingkey=error</c>).</summary>
    public string Render(JsonNode? data, bool missingKeyError)
    {
        var output = new StringBuilder();
        var scope = new Scope(data, data, missingKeyError, new Dictionary<string, JsonNode?>(StringComparer.Ordinal));
        Write(_nodes, scope, output);
        return output.ToString();
    }

    private static void Write(List<Node> nodes, Scope scope, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    break;
                case ActionNode action:
                    var value = Evaluate(action.Pipeline, scope);
                    if (action.Pipeline.Declare is null)
                    {
                        output.Append(Print(value));
                    }

                    break;
                case IfNode @if:
                    Write(Truthy(Evaluate(@if.Condition, scope)) ? @if.Then : @if.Else, scope, output);
                    break;
                case RangeNode range:
                    var items = Items(Evaluate(range.Over, scope));
                    if (items.Count == 0)
                    {
                        Write(range.Else, scope, output);
                    }

                    foreach (var (key, item) in items)
                    {
                        var variables = new Dictionary<string, JsonNode?>(scope.Variables, StringComparer.Ordinal);
                        if (range.KeyVariable is { } k)
                        {
                            variables[k] = key;
                        }

                        if (range.ValueVariable is { } v)
                        {
                            variables[v] = item;
                        }

                        Write(range.Body, scope with { Dot = item, Variables = variables }, output);
                    }

                    break;
            }
        }
    }

    private static List<(JsonNode Key, JsonNode? Value)> Items(JsonNode? value) => value switch
    {
        JsonArray array => [.. array.Select((item, i) => ((JsonNode)JsonValue.Create(i), item))],
        JsonObject obj => [.. obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((JsonNode)JsonValue.Create(p.Key), p.Value))],
        null => [],
        _ => throw new FormatException($"range can't iterate over {Print(value)}"),
    };

    private static JsonNode? Evaluate(Pipeline pipeline, Scope scope)
    {
        JsonNode? value = null;
        var first = true;
        foreach (var command in pipeline.Commands)
        {
            value = EvaluateCommand(command, scope, first ? null : [value]);
            first = false;
        }

        if (pipeline.Declare is { } name)
        {
            scope.Variables[name] = value;
        }

        return value;
    }

    private static JsonNode? EvaluateCommand(List<Operand> command, Scope scope, JsonNode?[]? piped)
    {
        if (command[0] is FunctionOperand function)
        {
            var args = command.Skip(1).Select(o => EvaluateOperand(o, scope)).ToList();
            if (piped is not null)
            {
                args.AddRange(piped);
            }

            return Call(function.Name, args);
        }

        if (command.Count > 1 || piped is not null)
        {
            throw new FormatException("only a function can take arguments");
        }

        return EvaluateOperand(command[0], scope);
    }

    private static JsonNode? EvaluateOperand(Operand operand, Scope scope) => operand switch
    {
        LiteralOperand literal => literal.Value?.DeepClone(),
        FieldOperand field => Walk(field.FromRoot ? scope.Root : field.Variable is { } v ? Variable(scope, v) : scope.Dot, field.Path, scope.MissingKeyError),
        SubPipelineOperand sub => Evaluate(sub.Pipeline, scope),
        FunctionOperand function => Call(function.Name, []),
        _ => throw new FormatException("unknown operand"),
    };

    private static JsonNode? Variable(Scope scope, string name) =>
        scope.Variables.TryGetValue(name, out var value) ? value : throw new FormatException($"undefined variable ${name}");

    private static JsonNode? Walk(JsonNode? node, IReadOnlyList<string> path, bool missingKeyError)
    {
        foreach (var key in path)
        {
            if (node is JsonObject obj)
            {
                if (!obj.TryGetPropertyValue(key, out var next))
                {
                    if (missingKeyError)
                    {
                        throw new FormatException($"map has no entry for key \"{key}\"");
                    }

                    return null;
                }

                node = next;
            }
            else if (node is null)
            {
                if (missingKeyError)
                {
                    throw new FormatException($"nil pointer evaluating .{key}");
                }

                return null;
            }
            else
            {
                throw new FormatException($"can't evaluate field {key} in {Print(node)}");
            }
        }

        return node;
    }

    private static JsonNode? Call(string name, List<JsonNode?> args)
    {
        switch (name)
        {
            case "index":
                Arity(name, args, 2, int.MaxValue);
                var target = args[0];
                foreach (var key in args.Skip(1))
                {
                    target = target switch
                    {
                        JsonObject obj => obj.TryGetPropertyValue(Print(key), out var v) ? v : null,
                        JsonArray array when Number(key) is var i && i >= 0 && i < array.Count => array[(int)i],
                        JsonArray => throw new FormatException($"index out of range: {Print(key)}"),
                        null => throw new FormatException("index of untyped nil"),
                        _ => throw new FormatException($"can't index item of type {Print(target)}"),
                    };
                }

                return target?.DeepClone();
            case "default":
                Arity(name, args, 1, 2);
                return args.Count == 2 && Truthy(args[1]) ? args[1] : args[0];
            case "lower":
                return Str(Text(name, args, 1)[0].ToLowerInvariant());
            case "upper":
                return Str(Text(name, args, 1)[0].ToUpperInvariant());
            case "replace":
                var r = Text(name, args, 3);
                return Str(r[0].Length == 0 ? r[2] : r[2].Replace(r[0], r[1], StringComparison.Ordinal));
            case "trimPrefix":
                var p = Text(name, args, 2);
                return Str(p[1].StartsWith(p[0], StringComparison.Ordinal) ? p[1][p[0].Length..] : p[1]);
            case "trimSuffix":
                var s = Text(name, args, 2);
                return Str(s[1].EndsWith(s[0], StringComparison.Ordinal) ? s[1][..^s[0].Length] : s[1]);
            case "printf":
                Arity(name, args, 1, int.MaxValue);
                return Str(Printf(Print(args[0]), args.Skip(1).ToList()));
            case "quote":
                return Str(JsonSerializer.Serialize(string.Join(' ', args.Select(Print))));
            case "toJson":
                Arity(name, args, 1, 1);
                return Str(args[0]?.ToJsonString() ?? "null");
            case "len":
                Arity(name, args, 1, 1);
                return JsonValue.Create(args[0] switch
                {
                    JsonArray a => a.Count,
                    JsonObject o => o.Count,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length,
                    _ => throw new FormatException($"len of {Print(args[0])}"),
                });
            case "eq":
                Arity(name, args, 2, int.MaxValue);
                return JsonValue.Create(args.Skip(1).Any(a => JsonNode.DeepEquals(Normal(args[0]), Normal(a))));
            case "ne":
                Arity(name, args, 2, 2);
                return JsonValue.Create(!JsonNode.DeepEquals(Normal(args[0]), Normal(args[1])));
            case "not":
                Arity(name, args, 1, 1);
                return JsonValue.Create(!Truthy(args[0]));
            case "and":
                Arity(name, args, 1, int.MaxValue);
                return args.FirstOrDefault(a => !Truthy(a)) ?? args[^1];
            case "or":
                Arity(name, args, 1, int.MaxValue);
                return args.FirstOrDefault(Truthy) ?? args[^1];
            default:
                throw new FormatException($"function \"{name}\" not defined (Ferry supports index, default, lower, upper, replace, trimPrefix, trimSuffix, printf, quote, toJson, len, eq, ne, not, and, or)");
        }
    }

    private static JsonNode? Normal(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(Number(v)) : node;

    private static JsonValue Str(string text) => JsonValue.Create(text);

    private static void Arity(string name, List<JsonNode?> args, int min, int max)
    {
        if (args.Count < min || args.Count > max)
        {
            throw new FormatException($"wrong number of args for {name}: got {args.Count}");
        }
    }

    private static string[] Text(string name, List<JsonNode?> args, int count)
    {
        Arity(name, args, count, count);
        return [.. args.Select(Print)];
    }

    private static double Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture)
        : double.TryParse(Print(node), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"not a number: {Print(node)}");

    private static string Printf(string format, List<JsonNode?> args)
    {
        var output = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                output.Append('%');
                continue;
            }

            if (next >= args.Count)
            {
                output.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            var arg = args[next++];
            output.Append(verb switch
            {
                's' or 'v' => Print(arg),
                'd' => ((long)Number(arg)).ToString(CultureInfo.InvariantCulture),
                'q' => JsonSerializer.Serialize(Print(arg)),
                _ => throw new FormatException($"printf verb %{verb} is not supported (use %s, %v, %d, %q)"),
            });
        }

        return output.ToString();
    }

    private static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => Number(v) != 0,
            _ => true,
        },
        _ => true,
    };

    /// <summary>How Go prints a value in a template.</summary>
    public static string Print(JsonNode? node) => node switch
    {
        null => NoValue,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v).ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        JsonArray a => "[" + string.Join(' ', a.Select(Print)) + "]",
        JsonObject o => "map[" + string.Join(' ', o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Print(p.Value)}")) + "]",
        _ => node.ToJsonString(),
    };

    // ---- parsing ----

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                tokens.Add(new Token(false, text[position..]));
                break;
            }

            var literal = text[position..open];
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException("unclosed action: {{ without }}");
            }

            var body = text[(open + 2)..close];
            if (body.StartsWith("- ", StringComparison.Ordinal))
            {
                literal = literal.TrimEnd();
                body = body[1..];
            }

            var trimAfter = body.EndsWith(" -", StringComparison.Ordinal);
            if (trimAfter)
            {
                body = body[..^1];
            }

            if (literal.Length > 0)
            {
                tokens.Add(new Token(false, literal));
            }

            tokens.Add(new Token(true, body.Trim()));
            position = close + 2;
            if (trimAfter)
            {
                while (position < text.Length && char.IsWhiteSpace(text[position]))
                {
                    position++;
                }
            }
        }

        return tokens;
    }

    private static List<Node> ParseList(List<Token> tokens, ref int position, out string? stop)
    {
        var nodes = new List<Node>();
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            if (!token.IsAction)
            {
                nodes.Add(new TextNode(token.Text));
                continue;
            }

            var action = token.Text;
            if (action.StartsWith("/*", StringComparison.Ordinal))
            {
                continue;
            }

            if (action == "end" || action == "else" || action.StartsWith("else if ", StringComparison.Ordinal))
            {
                stop = action;
                return nodes;
            }

            if (action.StartsWith("if ", StringComparison.Ordinal))
            {
                nodes.Add(ParseIf(action[3..], tokens, ref position));
            }
            else if (action.StartsWith("range ", StringComparison.Ordinal))
            {
                nodes.Add(ParseRange(action[6..], tokens, ref position));
            }
            else if (action.StartsWith("with ", StringComparison.Ordinal) || action.StartsWith("define ", StringComparison.Ordinal)
                || action.StartsWith("template ", StringComparison.Ordinal) || action.StartsWith("block ", StringComparison.Ordinal))
            {
                throw new FormatException($"{{{{{action.Split(' ')[0]}}}}} is not supported by Ferry (supported: if/else, range, pipelines)");
            }
            else
            {
                nodes.Add(new ActionNode(ParsePipeline(action)));
            }
        }

        stop = null;
        return nodes;
    }

    private static IfNode ParseIf(string condition, List<Token> tokens, ref int position)
    {
        var then = ParseList(tokens, ref position, out var stop);
        List<Node> otherwise = [];
        if (stop is not null && stop.StartsWith("else if ", StringComparison.Ordinal))
        {
            otherwise = [ParseIf(stop[8..], tokens, ref position)];
            return new IfNode(ParsePipeline(condition), then, otherwise);
        }

        if (stop == "else")
        {
            otherwise = ParseList(tokens, ref position, out stop);
        }

        if (stop != "end")
        {
            throw new FormatException("unexpected end of template: {{if}} without {{end}}");
        }

        return new IfNode(ParsePipeline(condition), then, otherwise);
    }

    private static RangeNode ParseRange(string header, List<Token> tokens, ref int position)
    {
        string? key = null, value = null;
        var assign = header.IndexOf(":=", StringComparison.Ordinal);
        if (assign >= 0)
        {
            var names = header[..assign].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 1)
            {
                value = VariableName(names[0]);
            }
            else
            {
                key = VariableName(names[0]);
                value = VariableName(names[1]);
            }

            header = header[(assign + 2)..];
        }

        var body = ParseList(tokens, ref position, out var stop);
        List<Node> otherwise = [];
        if (stop == "else")
        {
            otherwise = ParseList(tokens, ref position, out stop);
        }

        if (stop != "end")
        {
            throw new FormatException("unexpected end of template: {{range}} without {{end}}");
        }

        return new RangeNode(ParsePipeline(header), key, value, body, otherwise);
    }

    private static string VariableName(string text) =>
        text.StartsWith('$') && text.Length > 1 ? text[1..] : throw new FormatException($"bad variable name {text}");

    private static Pipeline ParsePipeline(string text)
    {
        string? declare = null;
        var assign = text.IndexOf(":=", StringComparison.Ordinal);
        if (assign > 0 && text[..assign].Trim() is var left && left.StartsWith('$') && !left.Contains(' ', StringComparison.Ordinal))
        {
            declare = VariableName(left);
            text = text[(assign + 2)..];
        }

        var words = Words(text);
        var commands = new List<List<Operand>>();
        var current = new List<Operand>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word == "|")
            {
                Add(commands, current);
                current = [];
                continue;
            }

            current.Add(ParseOperand(word));
        }

        Add(commands, current);
        return new Pipeline(commands, declare);

        static void Add(List<List<Operand>> commands, List<Operand> command)
        {
            if (command.Count == 0)
            {
                throw new FormatException("missing value in a pipeline");
            }

            commands.Add(command);
        }
    }

    private static Operand ParseOperand(string word)
    {
        if (word.StartsWith('(') && word.EndsWith(')'))
        {
            return new SubPipelineOperand(ParsePipeline(word[1..^1]));
        }

        if (word.StartsWith('"'))
        {
            return new LiteralOperand(JsonValue.Create(JsonSerializer.Deserialize<string>(word)));
        }

        if (word.StartsWith('`') && word.EndsWith('`') && word.Length > 1)
        {
            return new LiteralOperand(JsonValue.Create(word[1..^1]));
        }

        if (word == ".")
        {
            return new FieldOperand(false, null, []);
        }

        if (word.StartsWith('.'))
        {
            return new FieldOperand(false, null, word[1..].Split('.'));
        }

        if (word.StartsWith('$'))
        {
            var parts = word[1..].Split('.');
            return parts[0].Length == 0 ? new FieldOperand(true, null, parts[1..]) : new FieldOperand(false, parts[0], parts[1..]);
        }

        if (word is "true" or "false")
        {
            return new LiteralOperand(JsonValue.Create(word == "true"));
        }

        if (word == "nil")
        {
            return new LiteralOperand(null);
        }

        if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new LiteralOperand(number == Math.Floor(number) && Math.Abs(number) < long.MaxValue ? JsonValue.Create((long)number) : JsonValue.Create(number));
        }

        if (word.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            return new FunctionOperand(word);
        }

        throw new FormatException($"unexpected \"{word}\" in an action");
    }

    /// <summary>Splits an action into words, keeping quoted strings and parenthesised groups whole.</summary>
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                if (i >= text.Length)
                {
                    throw new FormatException("unterminated quoted string");
                }

                i++;
            }
            else if (c == '`')
            {
                var end = text.IndexOf('`', i + 1);
                i = end < 0 ? throw new FormatException("unterminated raw string") : end + 1;
            }
            else if (c == '(')
            {
                var depth = 0;
                do
                {
                    depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                    i++;
                }
                while (i < text.Length && depth > 0);
                if (depth != 0)
                {
                    throw new FormatException("unclosed left paren");
                }
            }
            else if (c == '|')
            {
                i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '|' && text[i] != '(')
                {
                    i++;
                }
            }

            words.Add(text[start..i]);
        }

        return words;
    }

    private sealed record Token(bool IsAction, string Text);

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(Pipeline Pipeline) : Node;

    private sealed record IfNode(Pipeline Condition, List<Node> Then, List<Node> Else) : Node;

    private sealed record RangeNode(Pipeline Over, string? KeyVariable, string? ValueVariable, List<Node> Body, List<Node> Else) : Node;

    private sealed record Pipeline(List<List<Operand>> Commands, string? Declare);

    private abstract record Operand;

    private sealed record LiteralOperand(JsonNode? Value) : Operand;

    private sealed record FieldOperand(bool FromRoot, string? Variable, IReadOnlyList<string> Path) : Operand;

    private sealed record FunctionOperand(string Name) : Operand;

    private sealed record SubPipelineOperand(Pipeline Pipeline) : Operand;

    private sealed record Scope(JsonNode? Dot, JsonNode? Root, bool MissingKeyError, Dictionary<string, JsonNode?> Variables);
}
