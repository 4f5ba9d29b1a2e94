using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ferry.Core.Apps;

/// <summary>Reads typed fields out of one parsed document, recording errors and unknown fields with their lines.</summary>
internal sealed partial class DocumentReader(string file, int line, IReadOnlyDictionary<string, int> lines)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public List<AppValidationError> Errors { get; } = [];

    public List<AppWarning> Warnings { get; } = [];

    public static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public int LineOf(string path)
    {
        while (path.Length > 0)
        {
            if (lines.TryGetValue(path, out var found))
            {
                return found;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut < 0 ? string.Empty : path[..cut];
        }

        return Line;
    }

    public void Error(string path, string reason) => Errors.Add(new AppValidationError(File, LineOf(path), path, reason));

    public void Warn(string path, string message) => Warnings.Add(new AppWarning(File, LineOf(path), path, message));

    /// <summary>Warns about every field of <paramref name="obj"/> not in <paramref name="known"/>; the field stays in the raw document.</summary>
    public void Known(JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var guess = Closest(key, known);
                Warn(Join(path, key), guess is null ? "unknown field; kept but not used by Ferry" : $"unknown field (did you mean '{guess}'?); kept but not used by Ferry");
            }
        }
    }

    /// <summary>The known field a typo most likely meant: same letters in another case, or at most two edits away; null when none is close.</summary>
    private static string? Closest(string key, string[] known)
    {
        if (known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) is { } sameLetters)
        {
            return sameLetters;
        }

        var limit = Math.Min(2, key.Length / 3);
        return known
            .Select(k => (Field: k, Distance: EditDistance(key.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance).ThenBy(c => c.Field, StringComparer.Ordinal)
            .Select(c => c.Field)
            .FirstOrDefault();
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    /// <summary>Warns when a field Argo CD knows but Ferry does not implement is present.</summary>
    public void Unsupported(JsonObject obj, string path, string key, string why)
    {
        if (obj[key] is not null)
        {
            Warn(Join(path, key), why);
        }
    }

    public JsonObject? Object(JsonObject parent, string path, string key, bool required = false) =>
        Get(parent, path, key, required, "a mapping", n => n as JsonObject);

    public JsonArray? Array(JsonObject parent, string path, string key) =>
        Get(parent, path, key, false, "a list", n => n as JsonArray);

    public string? String(JsonObject parent, string path, string key, bool required = false)
    {
        var value = Get(parent, path, key, required, "a string", n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null);
        if (required && value is { Length: 0 })
        {
            Error(Join(path, key), "is required and must not be empty");
            return null;
        }

        return value;
    }

    public bool Bool(JsonObject parent, string path, string key) =>
        Get(parent, path, key, false, "true or false", n => n is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? (bool?)v.GetValue<bool>() : null) ?? false;

    public long? Integer(JsonObject parent, string path, string key) =>
        Get(parent, path, key, false, "an integer", n => n is JsonValue v && v.TryGetValue<long>(out var l) ? (long?)l : n is JsonValue d && d.TryGetValue<double>(out var x) && x == Math.Floor(x) && Math.Abs(x) < long.MaxValue ? (long)x : null);

    public double? Number(JsonObject parent, string path, string key) =>
        Get<double?>(parent, path, key, false, "a number", n => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : n is JsonValue s && s.GetValueKind() == JsonValueKind.String && double.TryParse(s.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null);

    public TimeSpan? Duration(JsonObject parent, string path, string key)
    {
        var node = parent[key];
        if (node is null)
        {
            return null;
        }

        var text = node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : null;
        if (text is not null && ParseDuration(text) is { } parsed)
        {
            return parsed;
        }

        Error(Join(path, key), $"must be a duration such as 5s, 3m or 1h30m, got {Describe(node)}");
        return null;
    }

    public IReadOnlyList<string> Strings(JsonObject parent, string path, string key)
    {
        var array = Array(parent, path, key);
        if (array is null)
        {
            return [];
        }

        var result = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result.Add(v.GetValue<string>());
            }
            else
            {
                Error($"{Join(path, key)}[{i}]", $"must be a string, got {Describe(array[i])}");
            }
        }

        return result;
    }

    public IReadOnlyDictionary<string, string> StringMap(JsonObject parent, string path, string key)
    {
        var obj = Object(parent, path, key);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (obj is null)
        {
            return result;
        }

        foreach (var (name, value) in obj)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result[name] = v.GetValue<string>();
            }
            else
            {
                Error(Join(Join(path, key), name), $"must be a string, got {Describe(value)} (quote it)");
            }
        }

        return result;
    }

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {v.ToJsonString()}",
            _ => v.ToJsonString(),
        },
        _ => "a value",
    };

    /// <summary>Parses Go's duration syntax (<c>5s</c>, <c>1m30s</c>, <c>250ms</c>); a bare number is seconds.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        var match = GoDuration().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var part = DurationPart().Match(capture.Value);
            var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "us" or "µs" => TimeSpan.FromMicroseconds(amount),
                _ => TimeSpan.FromTicks((long)(amount / 100)),
            };
        }

        return total;
    }

    private T? Get<T>(JsonObject parent, string path, string key, bool required, string expected, Func<JsonNode, T?> convert)
    {
        var node = parent[key];
        if (node is null)
        {
            if (required)
            {
                Error(Join(path, key), "is required");
            }

            return default;
        }

        var value = convert(node);
        if (value is null)
        {
            Error(Join(path, key), $"must be {expected}, got {Describe(node)}");
        }

        return value;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex DurationPart();
}
