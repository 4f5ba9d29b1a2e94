using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>configMapGenerator and secretGenerator: literals, files and env files into a ConfigMap or Secret.</summary>
internal static class Generators
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Generates one object from a generator entry; <paramref name="readFile"/> reads a path relative to the kustomization.</summary>
    public static KResource Generate(string kind, JsonObject entry, JsonObject? globalOptions, Func<string, byte[]> readFile, string file)
    {
        var name = (string?)entry["name"] ?? (string?)entry["metadata"]?["name"]
            ?? throw new RenderException(file, null, $"a {kind} generator needs a name");
        var ns = (string?)entry["namespace"] ?? (string?)entry["metadata"]?["namespace"];
        var pairs = new List<(string Key, byte[] Value)>();
        var envs = new List<string>();
        if (entry["envs"] is JsonArray envList)
        {
            envs.AddRange(envList.Select(e => (string?)e ?? string.Empty));
        }

        if ((string?)entry["env"] is { Length: > 0 } env)
        {
            envs.Add(env);
        }

        foreach (var path in envs)
        {
            var text = Encoding.UTF8.GetString(readFile(path));
            var lineNo = 0;
            foreach (var raw in text.Split('\n'))
            {
                lineNo++;
                var line = lineNo == 1 ? raw.TrimStart('\uFEFF') : raw;
                line = line.TrimEnd('\r');
                if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                var eq = line.IndexOf('=');
                var key = (eq < 0 ? line : line[..eq]).TrimStart();
                var value = eq < 0 ? Environment.GetEnvironmentVariable(key) ?? string.Empty : line[(eq + 1)..];
                pairs.Add((key, Encoding.UTF8.GetBytes(value)));
            }
        }

        foreach (var literal in (entry["literals"] as JsonArray ?? []).Select(l => Transformers.ScalarText(l)))
        {
            var eq = literal.IndexOf('=');
            if (eq < 0)
            {
                throw new RenderException(file, null, $"invalid literal source {literal}, expected key=value");
            }

            var value = literal[(eq + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            pairs.Add((literal[..eq], Encoding.UTF8.GetBytes(value)));
        }

        foreach (var source in (entry["files"] as JsonArray ?? []).Select(f => (string?)f ?? string.Empty))
        {
            var eq = source.IndexOf('=');
            var key = eq < 0 ? Path.GetFileName(source) : source[..eq];
            var path = eq < 0 ? source : source[(eq + 1)..];
            pairs.Add((key, readFile(path)));
        }

        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = kind,
        };
        var metadata = new JsonObject { ["name"] = name };
        if (!string.IsNullOrEmpty(ns))
        {
            metadata["namespace"] = ns;
        }

        obj["metadata"] = metadata;
        var data = new JsonObject();
        var binary = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            if (data.ContainsKey(key) || binary.ContainsKey(key))
            {
                throw new RenderException(file, null, $"{kind} {name}: key '{key}' appears more than once");
            }

            if (kind == "Secret")
            {
                data[key] = Base64(value);
            }
            else if (TryUtf8(value, out var text))
            {
                data[key] = text;
            }
            else
            {
                binary[key] = Base64(value);
            }
        }

        // kustomize always writes a Secret's data map, even empty (and hashes it so); a ConfigMap's only when it has entries.
        if (data.Count > 0 || kind == "Secret")
        {
            obj["data"] = data;
        }

        if (binary.Count > 0)
        {
            obj["binaryData"] = binary;
        }

        if (kind == "Secret")
        {
            obj["type"] = (string?)entry["type"] ?? "Opaque";
        }

        var options = entry["options"] as JsonObject;
        var labels = KResource.MergeMaps(globalOptions?["labels"] as JsonObject, options?["labels"] as JsonObject);
        var annotations = KResource.MergeMaps(globalOptions?["annotations"] as JsonObject, options?["annotations"] as JsonObject);
        if (labels.Count > 0)
        {
            metadata["labels"] = labels;
        }

        if (annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }

        // kustomize ORs the global and per-generator flags: a global true cannot be switched off locally.
        var disableHash = (Flag(options?["disableNameSuffixHash"]) ?? false) || (Flag(globalOptions?["disableNameSuffixHash"]) ?? false);
        if ((Flag(options?["immutable"]) ?? false) || (Flag(globalOptions?["immutable"]) ?? false))
        {
            obj["immutable"] = true;
        }

        return new KResource(obj, file, 0)
        {
            Behavior = (string?)entry["behavior"] ?? "create",
            NeedsHash = !disableHash,
        };
    }

    /// <summary>Base64 as kustomize writes it into data maps: lines of 70 characters, each ending in a newline once there is more than one.</summary>
    private static string Base64(byte[] value)
    {
        const int lineLength = 70;
        var encoded = Convert.ToBase64String(value);
        if (encoded.Length / lineLength + 1 <= 1)
        {
            return encoded;
        }

        var builder = new StringBuilder(encoded.Length + (encoded.Length / lineLength) + 1);
        for (var i = 0; i < encoded.Length; i += lineLength)
        {
            builder.Append(encoded, i, Math.Min(lineLength, encoded.Length - i)).Append('\n');
        }

        return builder.ToString();
    }

    private static bool? Flag(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    private static bool TryUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
