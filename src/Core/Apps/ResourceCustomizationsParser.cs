using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps;

/// <summary>
/// Reads the health customizations of an Argo CD <c>argocd-cm</c> ConfigMap: <c>resource.customizations.health.&lt;group_kind&gt;</c>
/// keys and the older <c>resource.customizations</c> block (<c>group/Kind: {health.lua: …}</c>). Scripts are compiled on load so a
/// syntax error names the file and line; every key Ferry does not act on is reported as a warning.
/// </summary>
internal static class ResourceCustomizationsParser
{
    /// <summary>The ConfigMap name Argo CD reads its settings from.</summary>
    public const string ConfigMapName = "argocd-cm";

    private const string Prefix = "resource.customizations";
    private const string HealthPrefix = Prefix + ".health.";
    private const string OpenLibsPrefix = Prefix + ".useOpenLibs.";

    /// <summary>True for a <c>v1</c> ConfigMap named <c>argocd-cm</c>.</summary>
    public static bool IsArgoSettings(JsonObject doc) =>
        (doc["apiVersion"] as JsonValue)?.ToString() == "v1"
        && (doc["kind"] as JsonValue)?.ToString() == "ConfigMap"
        && (doc["metadata"]?["name"] as JsonValue)?.ToString() == ConfigMapName;

    public static ResourceCustomizations Parse(JsonObject doc, DocumentReader r)
    {
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
        var data = r.Object(doc, string.Empty, "data") ?? [];
        foreach (var (name, node) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = DocumentReader.Join("data", name);
            if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                r.Error(path, $"must be a string, not {DocumentReader.Describe(node)}");
                continue;
            }

            var text = value.GetValue<string>();
            if (name.StartsWith(HealthPrefix, StringComparison.Ordinal))
            {
                if (KeyOf(name[HealthPrefix.Length..]) is { } key)
                {
                    AddScript(r, scripts, key, text, path, r.LineOf(path) + 1, exact: true);
                }
                else
                {
                    r.Error(path, "expected resource.customizations.health.<group>_<kind> (or .<kind> for the core group)");
                }
            }
            else if (name == Prefix)
            {
                ParseBlock(r, scripts, text, path);
            }
            else if (name.StartsWith(OpenLibsPrefix, StringComparison.Ordinal))
            {
                r.Warn(path, "ignored: Ferry never gives health scripts the os or io libraries");
            }
            else
            {
                r.Warn(path, name.StartsWith(Prefix, StringComparison.Ordinal)
                    ? "not supported by Ferry (only health customizations are); ignored"
                    : "an Argo CD server setting Ferry does not use; ignored");
            }
        }

        return new ResourceCustomizations { HealthScripts = scripts.ToFrozenDictionary(StringComparer.Ordinal), Source = r.File };
    }

    /// <summary>The older form: one YAML document keyed by <c>group/Kind</c>, each with a <c>health.lua</c> script.</summary>
    private static void ParseBlock(DocumentReader r, Dictionary<string, string> scripts, string text, string path)
    {
        // The block is a literal scalar, so its first line is the line after the key.
        var first = r.LineOf(path) + 1;
        JsonNode? root;
        try
        {
            root = YamlReader.ReadOne(text, r.File);
        }
        catch (YamlFormatException ex)
        {
            r.Errors.Add(new AppValidationError(r.File, first + ex.Line - 1, path, ex.Reason));
            return;
        }

        if (root is not JsonObject kinds)
        {
            r.Error(path, "must be a YAML mapping of group/Kind to customizations");
            return;
        }

        foreach (var (groupKind, node) in kinds)
        {
            var field = $"{path}.{groupKind}";
            if (node is not JsonObject customization)
            {
                r.Error(field, "must be a mapping (health.lua, …)");
                continue;
            }

            foreach (var (what, setting) in customization)
            {
                if (what != "health.lua")
                {
                    r.Warn($"{field}.{what}", what == "health.lua.useOpenLibs"
                        ? "ignored: Ferry never gives health scripts the os or io libraries"
                        : "not supported by Ferry (only health.lua is); ignored");
                    continue;
                }

                if (setting is JsonValue script && script.GetValueKind() == JsonValueKind.String)
                {
                    AddScript(r, scripts, groupKind, script.GetValue<string>(), $"{field}.{what}", first, exact: false);
                }
                else
                {
                    r.Error($"{field}.{what}", "must be a string (a Lua script)");
                }
            }
        }
    }

    /// <summary>Adds a script after compiling it; <paramref name="exact"/> says the script's first line is <paramref name="line"/> (a literal block).</summary>
    private static void AddScript(DocumentReader r, Dictionary<string, string> scripts, string key, string script, string path, int line, bool exact)
    {
        if (!scripts.TryAdd(key, script))
        {
            r.Error(path, $"a second health script for {key}");
            return;
        }

        var name = HealthAssessor.ScriptName(key);
        if (LuaHealthScript.Check(script, name) is { } error)
        {
            // Lua says "name:N: reason": line N of the script is line + N - 1 of the file when the script is a literal block there.
            var rest = error.StartsWith(name + ":", StringComparison.Ordinal) ? error[(name.Length + 1)..] : error;
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            var scriptLine = colon > 0 && int.TryParse(rest[..colon], out var n) ? n : 1;
            r.Errors.Add(new AppValidationError(r.File, exact ? line + scriptLine - 1 : line, path, $"Lua syntax error: {error}"));
        }
    }

    /// <summary>Argo's <c>group_kind</c> (or a bare kind for the core group) as a <c>group/Kind</c> key, or null when malformed.</summary>
    private static string? KeyOf(string groupKind)
    {
        var parts = groupKind.Split('_');
        return parts switch
        {
            [var kind] when kind.Length > 0 => kind,
            [var group, var kind] when kind.Length > 0 => ResourceCustomizations.KeyOf(group, kind),
            _ => null,
        };
    }
}
