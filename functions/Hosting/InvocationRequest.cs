using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Functions.Hosting;

/// <summary>What the Functions host posts to <c>/&lt;FunctionName&gt;</c> for a non-HTTP trigger: binding data by binding name, and trigger metadata.</summary>
public sealed record InvocationRequest
{
    /// <summary>Trigger and input binding values, keyed by the binding names in function.json.</summary>
    [JsonPropertyName("Data")]
    public IReadOnlyDictionary<string, JsonElement> Data { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Trigger metadata (for a queue: <c>DequeueCount</c>, <c>Id</c>, <c>InsertionTime</c>...), plus <c>sys</c>.</summary>
    [JsonPropertyName("Metadata")]
    public IReadOnlyDictionary<string, JsonElement> Metadata { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Parses a request body; throws <see cref="InvocationFormatException"/> when it is not the host's envelope.</summary>
    public static InvocationRequest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<InvocationRequest>(json, CustomHandlerJson.Options)
                ?? throw new InvocationFormatException("the invocation request is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvocationFormatException($"the invocation request is not the host's {{\"Data\", \"Metadata\"}} envelope: {e.Message}", e);
        }
    }

    /// <summary>Reads a metadata value case-insensitively (the host writes PascalCase, <c>sys</c> in lower case).</summary>
    public bool TryGetMetadata(string name, out JsonElement value) => TryGet(Metadata, name, out value);

    /// <summary>Reads a binding value case-insensitively.</summary>
    public bool TryGetData(string bindingName, out JsonElement value) => TryGet(Data, bindingName, out value);

    private static bool TryGet(IReadOnlyDictionary<string, JsonElement> values, string name, out JsonElement value)
    {
        if (values.TryGetValue(name, out value))
        {
            return true;
        }

        foreach (var (key, candidate) in values)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
