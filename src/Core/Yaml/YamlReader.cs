using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ferry.Core.Yaml;

/// <summary>Parses YAML (and therefore JSON) text into JSON nodes, resolving scalars the way Kubernetes' YAML library does.</summary>
public static partial class YamlReader
{
    /// <summary>Parses every document of a stream; empty documents are skipped.</summary>
    public static IReadOnlyList<YamlDocument> ReadAll(string text, string file)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new YamlFormatException(file, (int)ex.Start.Line, (int)ex.Start.Column, Clean(ex));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet reports some structural errors (an unclosed flow sequence) this way; the last event tells where.
            throw new YamlFormatException(file, parser.LastLine, parser.LastColumn, "malformed YAML: the structure is not closed or not valid here");
        }

        var documents = new List<YamlDocument>(stream.Documents.Count);
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Tag.IsEmpty: true, Style: ScalarStyle.Plain } scalar && string.IsNullOrEmpty(scalar.Value))
            {
                continue;
            }

            documents.Add(new YamlDocument(Convert(root, file), file, (int)root.Start.Line));
        }

        return documents;
    }

    /// <summary>Parses text that must hold exactly one document (an empty text gives null).</summary>
    public static JsonNode? ReadOne(string text, string file)
    {
        var all = ReadAll(text, file);
        return all.Count switch
        {
            0 => null,
            1 => all[0].Root,
            _ => throw new YamlFormatException(file, all[1].Line, 1, "expected a single YAML document"),
        };
    }

    /// <summary>Remembers where the last event started, for errors YamlDotNet raises without a position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public int LastLine { get; private set; } = 1;

        public int LastColumn { get; private set; } = 1;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastLine = (int)current.End.Line;
                LastColumn = (int)current.End.Column;
            }

            return moved;
        }
    }

    private static string Clean(YamlDotNet.Core.YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (…): " which the exception's own location repeats.
        var index = message.LastIndexOf("): ", StringComparison.Ordinal);
        return index >= 0 ? message[(index + 3)..] : message;
    }

    private static JsonNode? Convert(YamlNode node, string file)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is YamlScalarNode { Value: "<<" } && valueNode is YamlMappingNode merge)
                    {
                        foreach (var (k, v) in (JsonObject)Convert(merge, file)!)
                        {
                            if (!obj.ContainsKey(k))
                            {
                                obj[k] = v?.DeepClone();
                            }
                        }

                        continue;
                    }

                    if (keyNode is not YamlScalarNode keyScalar)
                    {
                        throw new YamlFormatException(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column, "mapping keys must be scalars");
                    }

                    var key = keyScalar.Value ?? "null";
                    if (obj.ContainsKey(key))
                    {
                        throw new YamlFormatException(file, (int)keyNode.Start.Line, (int)keyNode.Start.Column, $"duplicate key \"{key}\"");
                    }

                    obj[key] = Convert(valueNode, file);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                {
                    array.Add(Convert(child, file));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new YamlFormatException(file, (int)node.Start.Line, (int)node.Start.Column, $"unsupported node {node.NodeType}");
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is not null && tag != "?")
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" => JsonValue.Create(value),
                "tag:yaml.org,2002:int" => ParseInteger(value) ?? JsonValue.Create(value),
                "tag:yaml.org,2002:float" => ParseFloat(value) ?? JsonValue.Create(value),
                "tag:yaml.org,2002:bool" => ParseBool(value) is { } b ? JsonValue.Create(b) : JsonValue.Create(value),
                "tag:yaml.org,2002:null" => null,
                _ => JsonValue.Create(value),
            };
        }

        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return Resolve(value);
    }

    /// <summary>Resolves a plain scalar as YAML 1.2's core schema does (with the YAML 1.1 booleans Kubernetes' yaml accepts).</summary>
    internal static JsonNode? Resolve(string value)
    {
        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (ParseBool(value) is { } boolean)
        {
            return JsonValue.Create(boolean);
        }

        if (ParseInteger(value) is { } integer)
        {
            return integer;
        }

        if (FloatPattern().IsMatch(value) && ParseFloat(value) is { } number)
        {
            return number;
        }

        return JsonValue.Create(value);
    }

    private static bool? ParseBool(string value) => value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    private static JsonNode? ParseInteger(string value)
    {
        if (!IntPattern().IsMatch(value))
        {
            return null;
        }

        var negative = value.StartsWith('-');
        var digits = value.TrimStart('+', '-');
        long result;
        if (digits.StartsWith("0x", StringComparison.Ordinal))
        {
            if (!long.TryParse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out result))
            {
                return null;
            }
        }
        else if (digits.StartsWith("0o", StringComparison.Ordinal))
        {
            try
            {
                result = System.Convert.ToInt64(digits[2..], 8);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                return null;
            }
        }
        else if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out result))
        {
            return ParseFloat(value);
        }

        return JsonValue.Create(negative ? -result : result);
    }

    private static JsonNode? ParseFloat(string value)
    {
        var lower = value.ToLowerInvariant();
        if (lower is ".inf" or "+.inf" or "-.inf" or ".nan")
        {
            // JSON cannot hold these; Kubernetes would reject them as well, so keep the text.
            return JsonValue.Create(value);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : null;
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
