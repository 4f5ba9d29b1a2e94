using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Ferry.Simulator.Storage;

/// <summary>One stored object: its identity, its immutable serialised form and what lists filter on.</summary>
/// <remarks>The JSON bytes are never mutated, so readers need no lock; writers parse a private copy.</remarks>
internal sealed record StoredObject(
    string Group,
    string Plural,
    string Namespace,
    string Name,
    string Uid,
    long ResourceVersion,
    byte[] Json,
    byte[] ItemJson,
    FrozenDictionary<string, string> Labels)
{
    /// <summary>A private, mutable copy of the object.</summary>
    public JsonObject Parse() => (JsonObject)JsonNode.Parse(Json)!;

    /// <summary>Builds the stored form of an object.</summary>
    public static StoredObject From(string group, string plural, JsonObject obj, bool custom)
    {
        var json = System.Text.Encoding.UTF8.GetBytes(obj.ToJsonString(JsonText.Options));
        byte[] item = json;
        if (!custom)
        {
            // Items of built-in lists carry no kind and apiVersion.
            var copy = new JsonObject();
            foreach (var (k, v) in obj)
            {
                if (k is not ("kind" or "apiVersion"))
                {
                    copy[k] = v?.DeepClone();
                }
            }

            item = System.Text.Encoding.UTF8.GetBytes(copy.ToJsonString(JsonText.Options));
        }

        var metadata = obj["metadata"] as JsonObject;
        var labels = (metadata?["labels"] as JsonObject)?
            .ToFrozenDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? string.Empty, StringComparer.Ordinal)
            ?? FrozenDictionary<string, string>.Empty;
        return new StoredObject(
            group,
            plural,
            (string?)metadata?["namespace"] ?? string.Empty,
            (string?)metadata?["name"] ?? string.Empty,
            (string?)metadata?["uid"] ?? string.Empty,
            long.TryParse((string?)metadata?["resourceVersion"], System.Globalization.CultureInfo.InvariantCulture, out var rv) ? rv : 0,
            json,
            item,
            labels);
    }
}
