using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>The name suffix kustomize derives from a ConfigMap's or Secret's content: a SHA-256 of a Go-style JSON encoding, 10 characters, vowel-free.</summary>
internal static class ContentHash
{
    public static string Of(JsonObject obj)
    {
        var kind = (string?)obj["kind"] ?? string.Empty;
        var encoded = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        // kustomize looks the name up as a single field literally called "metadata/name", which never exists, so it hashes "".
        var name = string.Empty;
        switch (kind)
        {
            case "ConfigMap":
                encoded["kind"] = "ConfigMap";
                encoded["name"] = name;
                encoded["data"] = obj["data"] is JsonObject data ? data : (JsonNode)string.Empty;
                if (obj["binaryData"] is JsonObject binary)
                {
                    encoded["binaryData"] = binary;
                }

                break;
            case "Secret":
                encoded["kind"] = "Secret";
                encoded["name"] = name;
                encoded["type"] = obj["type"] is JsonValue t ? Transformers.ScalarText(t) : string.Empty;
                encoded["data"] = obj["data"] is JsonObject secretData ? secretData : (JsonNode)string.Empty;
                if (obj["stringData"] is JsonObject stringData)
                {
                    encoded["stringData"] = stringData;
                }

                break;
            default:
                var builder0 = new StringBuilder();
                WriteGo(builder0, obj);
                return Encode(builder0.ToString());
        }

        var builder = new StringBuilder("{");
        var first = true;
        foreach (var (key, value) in encoded)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            WriteString(builder, key);
            builder.Append(':');
            WriteGo(builder, value);
        }

        builder.Append('}');
        return Encode(builder.ToString());
    }

    private static string Encode(string json)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var chars = hex[..10].ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '0' => 'g',
                '1' => 'h',
                '3' => 'k',
                'a' => 'm',
                'e' => 't',
                _ => chars[i],
            };
        }

        return new string(chars);
    }

    // Go's encoding/json: map keys sorted, HTML-sensitive characters escaped.
    private static void WriteGo(StringBuilder builder, JsonNode? node)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(builder, key);
                    builder.Append(':');
                    WriteGo(builder, value);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    WriteGo(builder, array[i]);
                }

                builder.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        WriteString(builder, value.GetValue<string>());
                        break;
                    case JsonValueKind.Number when value.TryGetValue<long>(out var l):
                        builder.Append(l.ToString(CultureInfo.InvariantCulture));
                        break;
                    default:
                        builder.Append(value.ToJsonString());
                        break;
                }

                break;
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
