using System.Text.Json.Nodes;

namespace Ferry.Functions.Tests.Infra;

/// <summary>
/// One template of the compiled Bicep evaluated for given
/// parameter values: what ARM would send for each resource, module and output, with deployment-time values opaque.
/// </summary>
internal sealed class ArmDeployment
{
    private readonly JsonObject _template;
    private readonly IReadOnlyDictionary<string, JsonNode?> _parameters;
    private readonly Dictionary<string, JsonNode?> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _evaluating = new(StringComparer.OrdinalIgnoreCase);

    public ArmDeployment(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        _template = template;
        _parameters = parameters;
        var unknown = parameters.Keys.Where(k => _template["parameters"]?[k] is null).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"the template has no parameter(s) {string.Join(", ", unknown)}");
        }
    }

    /// <summary>The template as compiled.</summary>
    public JsonObject Template => _template;

    /// <summary>The symbolic names of the template's resources and modules (<c>#0</c>, <c>#1</c>… in a template without them).</summary>
    public IEnumerable<string> Symbols => RawResources().Select(r => r.Symbol);

    /// <summary>A parameter's value: the one given, else its evaluated default.</summary>
    public JsonNode? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var given))
        {
            return given?.DeepClone();
        }

        var declared = _template["parameters"]?[name] ?? throw new InvalidOperationException($"no parameter '{name}'");
        return declared is JsonObject d && d.ContainsKey("defaultValue")
            ? Evaluate(d["defaultValue"])
            : throw new InvalidOperationException($"parameter '{name}' has no value and no default");
    }

    /// <summary>A variable's evaluated value.</summary>
    public JsonNode? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var cached))
        {
            return cached?.DeepClone();
        }

        if (!_evaluating.Add(name))
        {
            throw new InvalidOperationException($"variable '{name}' refers to itself");
        }

        var value = Evaluate(_template["variables"]?[name] ?? throw new InvalidOperationException($"no variable '{name}'"));
        _variables[name] = value;
        return value?.DeepClone();
    }

    /// <summary>Whether a resource or module is deployed (its <c>condition</c>, if any, is true).</summary>
    public bool IsDeployed(string symbol) =>
        Raw(symbol)["condition"] is not { } condition || (bool)Evaluate(condition)!;

    /// <summary>A resource with every expression evaluated (properties that evaluate to null are absent in Azure).</summary>
    public JsonObject Resource(string symbol) => (JsonObject)Evaluate(Raw(symbol))!;

    /// <summary>The symbols of the resources of one type (<c>Microsoft.Web/sites</c>), whatever their API version.</summary>
    public IReadOnlyList<string> SymbolsOfType(string type) =>
        [.. RawResources().Where(r => string.Equals((string?)r.Resource["type"], type, StringComparison.OrdinalIgnoreCase)).Select(r => r.Symbol)];

    /// <summary>A module's template evaluated with the parameter values this template passes it.</summary>
    public ArmDeployment Module(string symbol)
    {
        var module = Raw(symbol);
        if (!string.Equals((string?)module["type"], "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"'{symbol}' is not a module");
        }

        var passed = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in (JsonObject)module["properties"]!["parameters"]!)
        {
            passed[name] = Evaluate(value!["value"]);
        }

        return new ArmDeployment((JsonObject)module["properties"]!["template"]!, passed);
    }

    /// <summary>An output's evaluated value.</summary>
    public JsonNode? Output(string name) =>
        Evaluate(_template["outputs"]?[name]?["value"] ?? throw new InvalidOperationException($"no output '{name}'"));

    /// <summary>Evaluates every expression in a template fragment.</summary>
    public JsonNode? Evaluate(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && ArmExpression.IsExpression(s) => ArmExpression.Evaluate(s, Parameter, Variable),
        JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith("[[", StringComparison.Ordinal) => JsonValue.Create(s[1..]),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(Key(p.Key), Evaluate(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Evaluate)]),
        _ => node?.DeepClone(),
    };

    private string Key(string key) => ArmExpression.IsExpression(key) ? (string)Evaluate(JsonValue.Create(key))! : key;

    private JsonObject Raw(string symbol) =>
        RawResources().FirstOrDefault(r => r.Symbol == symbol).Resource ?? throw new InvalidOperationException($"no resource or module '{symbol}'");

    // languageVersion 2.0 keys resources by symbolic name; Bicep writes a plain array where it needs no 2.0 feature.
    private IEnumerable<(string Symbol, JsonObject Resource)> RawResources() => _template["resources"] switch
    {
        JsonObject keyed => keyed.Select(r => (r.Key, (JsonObject)r.Value!)),
        JsonArray list => list.Select((r, i) => ($"#{i}", (JsonObject)r!)),
        _ => [],
    };
}
