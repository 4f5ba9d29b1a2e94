using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Functions.Tests.Infra;

/// <summary>
/// Evaluates the subset of ARM template expressions Bicep emits for Ferry's templates (<c>[if(equals(parameters('plan'), …)]</c>),
/// so tests can read what a deployment with given parameters would send. Values only Azure knows at deployment time
/// (<c>reference()</c>, <c>resourceId()</c>, <c>environment()</c>, …) stay opaque: a string <c>⟨text⟩</c> naming the expression.
/// </summary>
internal sealed class ArmExpression
{
    private static readonly HashSet<string> Opaque = new(StringComparer.OrdinalIgnoreCase)
    {
        "reference", "resourceId", "subscriptionResourceId", "extensionResourceId", "environment", "tenant", "subscription",
        "resourceGroup", "deployment", "uniqueString", "guid", "copyIndex", "take", "last", "split", "listKeys", "resourceInfo",
    };

    private readonly string _text;
    private readonly Func<string, JsonNode?> _parameters;
    private readonly Func<string, JsonNode?> _variables;
    private int _at;

    private ArmExpression(string text, Func<string, JsonNode?> parameters, Func<string, JsonNode?> variables)
    {
        _text = text;
        _parameters = parameters;
        _variables = variables;
    }

    /// <summary>Whether a template string is an expression (<c>[…]</c> but not the <c>[[</c> escape).</summary>
    public static bool IsExpression(string value) => value.Length >= 2 && value[0] == '[' && value[^1] == ']' && value[1] != '[';

    /// <summary>Evaluates one expression string (with its brackets).</summary>
    public static JsonNode? Evaluate(string expression, Func<string, JsonNode?> parameters, Func<string, JsonNode?> variables)
    {
        var parser = new ArmExpression(expression[1..^1], parameters, variables);
        var value = parser.Expression();
        parser.SkipSpace();
        return parser._at == parser._text.Length ? value : throw parser.Error("unexpected text");
    }

    /// <summary>Whether a value is an opaque deployment-time value (or a string built from one).</summary>
    public static bool IsOpaque(JsonNode? value) => value is JsonValue v && v.TryGetValue<string>(out var s) && s.Contains('⟨', StringComparison.Ordinal);

    private JsonNode? Expression()
    {
        SkipSpace();
        var start = _at;
        JsonNode? value;
        if (Peek() == '\'')
        {
            value = JsonValue.Create(StringLiteral());
        }
        else if (char.IsDigit(Peek()) || Peek() == '-')
        {
            while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '-'))
            {
                _at++;
            }

            value = JsonValue.Create(long.Parse(_text[start.._at], CultureInfo.InvariantCulture));
        }
        else
        {
            var name = Identifier();
            Expect('(');
            var arguments = new List<JsonNode?>();
            SkipSpace();
            if (Peek() != ')')
            {
                do
                {
                    arguments.Add(Expression());
                    SkipSpace();
                }
                while (TryTake(','));
            }

            Expect(')');
            value = Opaque.Contains(name)
                ? JsonValue.Create($"⟨{name}({string.Join(", ", arguments.Select(a => Unwrap(a).TrimStart('⟨')))})⟩")
                : Call(name, arguments);
        }

        // Property and index access; on an opaque value it stays opaque.
        while (true)
        {
            SkipSpace();
            var accessStart = _at;
            if (TryTake('.'))
            {
                var property = Identifier();
                value = IsOpaque(value) ? JsonValue.Create($"{Unwrap(value)}.{property}⟩") : value?[property];
            }
            else if (TryTake('['))
            {
                var index = Expression();
                Expect(']');
                value = IsOpaque(value) || IsOpaque(index)
                    ? JsonValue.Create($"{Unwrap(value)}{_text[accessStart.._at]}⟩")
                    : index is JsonValue iv && iv.TryGetValue<long>(out var i) ? value?[(int)i] : value?[(string)index!];
            }
            else
            {
                return value?.DeepClone();
            }
        }
    }

    private JsonNode? Call(string name, List<JsonNode?> a)
    {
        switch (name.ToLowerInvariant())
        {
            case "parameters":
                return _parameters(Text(a[0]));
            case "variables":
                return _variables(Text(a[0]));
            case "if":
                return Bool(a[0]) ? a[1] : a[2];
            case "equals":
                return JsonValue.Create(JsonNode.DeepEquals(a[0], a[1]));
            case "not":
                return JsonValue.Create(!Bool(a[0]));
            case "and":
                return JsonValue.Create(a.All(Bool));
            case "or":
                return JsonValue.Create(a.Any(Bool));
            case "true":
                return JsonValue.Create(true);
            case "false":
                return JsonValue.Create(false);
            case "null":
                return null;
            case "empty":
                return JsonValue.Create(a[0] switch
                {
                    null => true,
                    JsonArray array => array.Count == 0,
                    JsonObject obj => obj.Count == 0,
                    var v => Text(v).Length == 0,
                });
            case "createarray":
                return new JsonArray([.. a.Select(v => v?.DeepClone())]);
            case "createobject":
                var created = new JsonObject();
                for (var i = 0; i < a.Count; i += 2)
                {
                    created[Text(a[i])] = a[i + 1]?.DeepClone();
                }

                return created;
            case "concat":
                return a.Count > 0 && a[0] is JsonArray
                    ? new JsonArray([.. a.SelectMany(v => ((JsonArray)v!).Select(e => e?.DeepClone()))])
                    : JsonValue.Create(string.Concat(a.Select(Text)));
            case "union":
                var union = new JsonObject();
                foreach (var obj in a.Cast<JsonObject>())
                {
                    foreach (var (key, value) in obj)
                    {
                        union[key] = value?.DeepClone();
                    }
                }

                return union;
            case "format":
                var format = Text(a[0]);
                var formatted = new StringBuilder();
                for (var i = 0; i < format.Length; i++)
                {
                    if (format[i] == '{' && i + 2 < format.Length && char.IsDigit(format[i + 1]))
                    {
                        var close = format.IndexOf('}', i);
                        formatted.Append(Text(a[int.Parse(format[(i + 1)..close], CultureInfo.InvariantCulture) + 1]));
                        i = close;
                    }
                    else
                    {
                        formatted.Append(format[i]);
                    }
                }

                return JsonValue.Create(formatted.ToString());
            case "toupper":
                return JsonValue.Create(Text(a[0]).ToUpperInvariant());
            case "tolower":
                return JsonValue.Create(Text(a[0]).ToLowerInvariant());
            default:
                throw Error($"function {name}() is not known to the test evaluator");
        }
    }

    private static string Unwrap(JsonNode? opaque) => Text(opaque).TrimEnd('⟩');

    private static string Text(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "True" : "False",
        _ => value.ToJsonString(),
    };

    private bool Bool(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue<bool>(out var b) ? b : throw Error($"expected a bool, got {value?.ToJsonString() ?? "null"}");

    private string StringLiteral()
    {
        Expect('\'');
        var text = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length)
            {
                throw Error("string not closed");
            }

            if (_text[_at] == '\'')
            {
                if (_at + 1 < _text.Length && _text[_at + 1] == '\'')
                {
                    text.Append('\'');
                    _at += 2;
                    continue;
                }

                _at++;
                return text.ToString();
            }

            text.Append(_text[_at++]);
        }
    }

    private string Identifier()
    {
        SkipSpace();
        var start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        return _at > start ? _text[start.._at] : throw Error("expected a name");
    }

    private void Expect(char c)
    {
        if (!TryTake(c))
        {
            throw Error($"expected '{c}'");
        }
    }

    private bool TryTake(char c)
    {
        SkipSpace();
        if (Peek() != c)
        {
            return false;
        }

        _at++;
        return true;
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private void SkipSpace()
    {
        while (_at < _text.Length && _text[_at] == ' ')
        {
            _at++;
        }
    }

    private InvalidOperationException Error(string message) => new($"ARM expression [{_text}] at {_at}: {message}");
}
