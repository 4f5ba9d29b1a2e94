using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Ferry.Core.Yaml;

/// <summary>Parses YAML (and therefore JSON) text into JSON nodes, resolving scalars the way Kubernetes' YAML library does.</summary>
public static partial class YamlReader
{
    /// <summary>Parses every document of a stream (empty documents are skipped), treating a key repeated in one mapping as <paramref name="duplicateKeys"/> says.</summary>
    public static IReadOnlyList<YamlDocument> ReadAll(string text, string file, YamlDuplicateKeys duplicateKeys = YamlDuplicateKeys.Reject, YamlScalars scalars = YamlScalars.Kubernetes)
    {
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        var reader = new EventReader(parser, file, duplicateKeys, scalars);
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
    private sealed class EventReader(IParser parser, string file, YamlDuplicateKeys duplicateKeys, YamlScalars scalars)
    {
        private readonly Dictionary<string, JsonNode?> anchors = new(StringComparer.Ordinal);

        // Mapping depth below the document root, and whether the mapping being read is the root's metadata.annotations.
        private int depth;
        private bool inMetadata;
        private bool inAnnotations;

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
                    // Inside the root's metadata.annotations mapping (depth 3) kustomize keeps a value's source text.
                    return Remember(scalar.Anchor, inAnnotations && depth == 3 ? AnnotationText(scalar) : ConvertScalar(scalar, scalars));
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
                    depth++;
                    try
                    {
                        return Remember(mappingStart.Anchor, ReadMapping());
                    }
                    finally
                    {
                        depth--;
                    }

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

                var value = ReadValue(key);
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

        /// <summary>Reads a mapping value, noting when it is the root's metadata or its annotations (kustomize keeps their values' text).</summary>
        private JsonNode? ReadValue(string key)
        {
            if (scalars == YamlScalars.Kubernetes)
            {
                return ReadNode();
            }

            var (metadata, annotations) = (inMetadata, inAnnotations);
            if (annotations)
            {
                // kustomize reads annotations as a string map: a value that is not a scalar becomes empty text.
                var node = ReadNode();
                return node is JsonObject or JsonArray ? JsonValue.Create(string.Empty) : node;
            }

            inMetadata = depth == 1 && key == "metadata";
            inAnnotations = metadata && depth == 2 && key == "annotations";
            try
            {
                return ReadNode();
            }
            finally
            {
                (inMetadata, inAnnotations) = (metadata, annotations);
            }
        }

        private JsonValue? AnnotationText(YamlDotNet.Core.Events.Scalar scalar)
        {
            var text = scalar.Value ?? string.Empty;
            var isNull = scalar.Style == ScalarStyle.Plain && scalar.Tag.IsEmpty && Resolve(text) is null;
            return isNull && scalars == YamlScalars.KustomizePatch ? null : JsonValue.Create(text);
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

    /// <summary>
    /// <see cref="ReadOne"/> for a settings file: malformed YAML is a <see cref="FormatException"/> naming <c>file:line</c> and the
    /// reason (never the text, which may hold a secret).
    /// </summary>
    public static JsonNode? ReadSettings(string text, string file)
    {
        try
        {
            return ReadOne(text, file);
        }
        catch (YamlFormatException ex)
        {
            throw new FormatException($"{file}:{ex.Line}: {ex.Reason}", ex);
        }
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

    private static JsonNode? ConvertScalar(YamlDotNet.Core.Events.Scalar scalar, YamlScalars scalars)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is not null && tag != "?")
        {
            return tag switch
            {
                "tag:yaml.org,2002:str" => JsonValue.Create(value),
                "tag:yaml.org,2002:int" => ParseNumber(value) is JsonValue number && !number.TryGetValue<double>(out _) ? number : JsonValue.Create(value),
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

        if (scalars != YamlScalars.Kubernetes && YamlTimestamp.Normalize(value) is { } timestamp)
        {
            return JsonValue.Create(timestamp);
        }

        return Resolve(value);
    }

    /// <summary>Resolves a plain scalar as Go's YAML libraries do: null and true/false (YAML 1.2 spellings), integers as Go's
    /// strconv.ParseInt with base 0 reads them after removing '_' (so 0755 is octal, as in YAML 1.1), then floats.</summary>
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

        return value[0] switch
        {
            >= '0' and <= '9' or '+' or '-' => ParseNumber(value) ?? JsonValue.Create(value),
            '.' when DotFloatPattern().IsMatch(value) && ParseFloat(value) is { } number => number,
            _ => JsonValue.Create(value),
        };
    }

    private static bool? ParseBool(string value) => value switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    /// <summary>A scalar starting with a digit or sign: Go's ParseInt, then ParseUint (no sign), then a YAML-style float, all after removing '_'.</summary>
    internal static JsonNode? ParseNumber(string value)
    {
        var plain = value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (plain.Length == 0)
        {
            return null;
        }

        var negative = plain[0] == '-';
        var signed = plain[0] is '-' or '+';
        if (GoParseUnsigned(signed ? plain[1..] : plain) is { } magnitude)
        {
            if (!negative && magnitude <= long.MaxValue)
            {
                return JsonValue.Create((long)magnitude);
            }

            if (negative && magnitude <= 1UL << 63)
            {
                return JsonValue.Create(magnitude == 1UL << 63 ? long.MinValue : -(long)magnitude);
            }

            if (!signed)
            {
                return JsonValue.Create(magnitude);
            }
        }

        return FloatPattern().IsMatch(plain) ? ParseFloat(plain) : null;
    }

    /// <summary>Go's strconv.ParseUint(s, 0, 64): 0x/0o/0b prefixes (either case), a leading 0 for octal, else decimal.</summary>
    private static ulong? GoParseUnsigned(string s)
    {
        if (s.Length == 0)
        {
            return null;
        }

        var radix = 10;
        var digits = s;
        if (s[0] == '0' && s.Length > 1)
        {
            (radix, digits) = s.Length >= 3 ? char.ToLowerInvariant(s[1]) switch
            {
                'x' => (16, s[2..]),
                'o' => (8, s[2..]),
                'b' => (2, s[2..]),
                _ => (8, s[1..]),
            } : (8, s[1..]);
        }

        ulong result = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return null;
            }

            var next = unchecked((result * (ulong)radix) + (ulong)digit);
            if (result > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return null;
            }

            result = next;
        }

        return result;
    }

    private static JsonNode? ParseFloat(string value)
    {
        var lower = value.ToLowerInvariant();
        if (lower is ".inf" or "+.inf" or "-.inf" or ".nan")
        {
            // JSON cannot hold these; Kubernetes would reject them as well, so keep the text.
            return JsonValue.Create(value);
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? JsonValue.Create(d) : null;
    }

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$")]
    private static partial Regex DotFloatPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
