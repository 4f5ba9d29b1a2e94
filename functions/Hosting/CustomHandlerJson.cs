using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Functions.Hosting;

/// <summary>The JSON settings for the Functions host's custom handler payloads: PascalCase names as the host writes them, read case-insensitively.</summary>
public static class CustomHandlerJson
{
    /// <summary>Serializer options for invocation requests and responses.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
