using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ferry.Functions.Hosting;

/// <summary>What a custom handler answers for a non-HTTP invocation: output binding values, log lines for the host, and the return value.</summary>
public sealed record InvocationResponse
{
    /// <summary>Output binding values keyed by binding name (Ferry's functions have none; the host still expects the member).</summary>
    [JsonPropertyName("Outputs")]
    public IReadOnlyDictionary<string, JsonNode?> Outputs { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>Lines the host writes to the invocation's log.</summary>
    [JsonPropertyName("Logs")]
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>The value for a <c>$return</c> binding; null when there is none.</summary>
    [JsonPropertyName("ReturnValue")]
    public JsonNode? ReturnValue { get; init; }
}
