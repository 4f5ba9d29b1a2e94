using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Ferry.Core.Yaml;

/// <summary>Parses YAML (and therefore JSON) text into JSON nodes, resolving scalars the way Kubernetes' YAML library does.</summary>
public static partial class YamlReader
{
    /// <summary>Parses every document of a stream (empty documents are skipped), treating a key repeated in one mapping as <paramref name="duplicateKeys"/> says.</summary>
    public static IReadOnlyList<YamlDocument> ReadAll(string text, string file, YamlDuplicateKeys duplicateKeys = YamlDuplicateKeys.Reject)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var reader = new EventReader(parser, file, duplicateKeys);
        try
        {
            return reader.ReadStream();
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
    }

    /// <summary>Builds JSON nodes straight from parser events (no intermediate representation model).</summary>
    private sealed class EventReader(IParser parser, string file, YamlDuplicateKeys duplicateKeys)
    {
        private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);

        public List<YamlDocument> ReadStream()
        {
            var documents = new List<YamlDocument>();
            Expect<YamlDotNet.Core.Events.StreamStart>();
            while (!parser.TryConsume<YamlDotNet.Core.Events.StreamEnd>(out _))
            {
                Expect<YamlDotNet.Core.Events.DocumentStart>();
                anchors.Clear();
                var start = parser.Current!;
                var empty = start is YamlDotNet.Core.Events.Scalar { Tag.IsEmpty: true, Style: ScalarStyle.Plain } s && string.IsNullOrEmpty(s.Value);
                var line = (int)start.Start.Line;
                var root = ReadNode();
                Expect<YamlDotNet.Core.Events.DocumentEnd>();
                if (!empty)
                {
                    documents.Add(new YamlDocument(root, file, line));
                }
            }

            return documents;
        }

        private void Expect<T>()
            where T : YamlDotNet.Core.Events.ParsingEvent
        {
            if (parser.Current is null)
            {
                parser.MoveNext();
            }

            _ = parser.Consume<T>();
        }

        private JsonNode? ReadNode()
        {
            var current = parser.Current ?? throw new InvalidOperationException("unexpected end of YAML");
            switch (current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    parser.MoveNext();
                    if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                    {
                        throw new YamlFormatException(file, (int)alias.Start.Line, (int)alias.Start.Column, $"unknown anchor '{alias.Value.Value}'");
                    }

                    return anchored?.DeepClone();
                case YamlDotNet.Core.Events.Scalar scalar:
                    parser.MoveNext();
                    return Remember(scalar.Anchor, ConvertScalar(scalar));
                case YamlDotNet.Core.Events.SequenceStart sequenceStart:
                    parser.MoveNext();
                    var array = new JsonArray();
                    while (!parser.TryConsume<YamlDotNet.Core.Events.SequenceEnd>(out _))
                    {
                        array.Add(ReadNode());
                    }

                    return Remember(sequenceStart.Anchor, array);
                case YamlDotNet.Core.Events.MappingStart mappingStart:
                    parser.MoveNext();
                    return Remember(mappingStart.Anchor, ReadMapping());
                default:
                    throw new YamlFormatException(file, (int)current.Start.Line, (int)current.Start.Column, $"unexpected {current.GetType().Name}");
            }
        }

        private JsonObject ReadMapping()
        {
            var obj = new JsonObject();
            HashSet<string>? merged = null;
            while (!parser.TryConsume<YamlDotNet.Core.Events.MappingEnd>(out _))
            {
                var keyEvent = parser.Current ?? throw new InvalidOperationException("unexpected end of YAML");
                string key;
                switch (keyEvent)
                {
                    case YamlDotNet.Core.Events.Scalar keyScalar:
                        parser.MoveNext();
                        key = keyScalar.Value;
                        Remember(keyScalar.Anchor, JsonValue.Create(key));
                        break;
                    case YamlDotNet.Core.Events.AnchorAlias keyAlias when anchors.TryGetValue(keyAlias.Value.Value, out var aliased) && aliased is JsonValue:
                        parser.MoveNext();
                        key = YamlScalarText(aliased);
                        break;
                    default:
                        throw new YamlFormatException(file, (int)keyEvent.Start.Line, (int)keyEvent.Start.Column, "mapping keys must be scalars");
                }

                var value = ReadNode();
                if (key == "<<" && value is JsonObject or JsonArray)
                {
                    foreach (var merge in value is JsonArray list ? list.OfType<JsonObject>() : [(JsonObject)value])
                    {
                        foreach (var (k, v) in merge)
                        {
                            if (!obj.ContainsKey(k))
                            {
                                obj[k] = v?.DeepClone();
                                (merged ??= new HashSet<string>(StringComparer.Ordinal)).Add(k);
                            }
                        }
                    }

                    continue;
                }

                if (obj.ContainsKey(key) && merged?.Remove(key) != true)
                {
                    if (duplicateKeys == YamlDuplicateKeys.FirstWins)
                    {
                        continue;
                    }

                    if (duplicateKeys == YamlDuplicateKeys.Reject)
                    {
                        throw new YamlFormatException(file, (int)keyEvent.Start.Line, (int)keyEvent.Start.Column, $"duplicate key \"{key}\"");
                    }
                }

                obj[key] = value;
            }

            return obj;
        }

        private JsonNode? Remember(AnchorName anchor, JsonNode? node)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node?.DeepClone();
            }

            return node;
        }

        private static string YamlScalarText(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
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

    private static JsonNode? ConvertScalar(YamlDotNet.Core.Events.Scalar scalar)
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
            // Go's YAML decoders keep integers up to 2^64-1 exact (uint64); beyond that they become floats.
            return !negative && ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned)
                ? JsonValue.Create(unsigned)
                : ParseFloat(value);
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
