using System.Text.Json.Nodes;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Infra;

/// <summary>One function as the Functions host reads it from <c>functions.metadata</c>, which the isolated worker's SDK writes at build.</summary>
internal sealed record FunctionDefinition(string Name, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>The trigger binding.</summary>
    public JsonObject Trigger => Bindings.Single(b => ((string?)b["type"] ?? string.Empty).EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));

    /// <summary>The trigger's type (<c>httpTrigger</c>, <c>queueTrigger</c>, <c>timerTrigger</c>).</summary>
    public string TriggerType => (string)Trigger["type"]!;

    /// <summary>Reads the functions of the functions project's build output, in name order.</summary>
    public static IReadOnlyList<FunctionDefinition> ReadAll()
    {
        var metadata = Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata");
        Assert.True(File.Exists(metadata), $"{metadata} is missing: build the functions project first");
        return [.. JsonNode.Parse(File.ReadAllText(metadata))!.AsArray()
            .Select(f => new FunctionDefinition((string)f!["name"]!, [.. f["bindings"]!.AsArray().Select(b => b!.AsObject())]))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
    }
}
