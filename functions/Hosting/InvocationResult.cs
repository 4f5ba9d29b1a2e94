using System.Text.Json.Nodes;

namespace Ferry.Functions.Hosting;

/// <summary>What an invocation handler reports back: log lines for the host and optional outputs; failures are thrown.</summary>
public sealed record InvocationResult
{
    /// <summary>A result with nothing to report.</summary>
    public static InvocationResult Empty { get; } = new();

    /// <summary>Lines the host writes to the invocation's log (never secrets).</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>Output binding values keyed by binding name.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Outputs { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>The value for a <c>$return</c> binding.</summary>
    public JsonNode? ReturnValue { get; init; }
}
