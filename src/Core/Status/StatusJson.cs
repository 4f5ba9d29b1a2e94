using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ferry.Core.Status;

/// <summary>The JSON form status is stored in: camelCase, enums as names, stable.</summary>
public static class StatusJson
{
    /// <summary>Serializer options shared by every status store and the status API.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
