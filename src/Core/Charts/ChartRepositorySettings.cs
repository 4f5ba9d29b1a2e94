using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Charts;

/// <summary>
/// The chart repositories and registries Ferry knows credentials for, from the file <c>FERRY_HELM_REPOSITORIES</c> names:
/// <c>repositories: [{url, username | usernameFromEnv, password | passwordFromEnv, insecureOCIForceHttp}]</c>. A source uses the
/// entry with the longest URL prefix of its own; sources under no entry are fetched anonymously over HTTPS.
/// </summary>
public sealed record ChartRepositorySettings
{
    /// <summary>The environment variable naming the repositories file.</summary>
    public const string FileVariable = "FERRY_HELM_REPOSITORIES";

    /// <summary>No credentials at all.</summary>
    public static ChartRepositorySettings None { get; } = new();

    /// <summary>The entries, in file order.</summary>
    public IReadOnlyList<ChartRepositoryEntry> Repositories { get; init; } = [];

    /// <summary>The entry for a repository URL (any form <see cref="ChartLocation"/> accepts); null when none covers it.</summary>
    public ChartRepositoryEntry? Find(string url)
    {
        var key = KeyOf(url);
        return Repositories.Where(r => r.Covers(key)).OrderByDescending(r => KeyOf(r.Url).Length).FirstOrDefault();
    }

    /// <summary>A URL without scheme, trailing slash or case in the host, so <c>oci://r/x</c>, <c>r/x</c> and <c>R/x/</c> compare equal.</summary>
    internal static string KeyOf(string url)
    {
        var text = url.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        var prefix = scheme < 0 ? string.Empty : text[..scheme].ToLowerInvariant();
        var rest = (scheme < 0 ? text : text[(scheme + 3)..]).TrimEnd('/');
        var slash = rest.IndexOf('/');
        var host = (slash < 0 ? rest : rest[..slash]).ToLowerInvariant();
        var path = slash < 0 ? string.Empty : rest[slash..];
        // http and https repositories differ; oci:// and a bare registry path are the same registry.
        return (prefix is "http" or "https" ? prefix + "://" : string.Empty) + host + path;
    }

    /// <summary>The settings from the environment: the file <see cref="FileVariable"/> names, or none.</summary>
    public static async Task<ChartRepositorySettings> FromEnvironmentAsync(Func<string, string?> env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (env(FileVariable) is not { Length: > 0 } file)
        {
            return None;
        }

        var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        return Parse(text, file, env);
    }

    /// <summary>Parses the repositories YAML; a <see cref="FormatException"/> names the file and field, never a secret's value.</summary>
    public static ChartRepositorySettings Parse(string text, string file, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = YamlReader.ReadSettings(text, file);

        if (root is null)
        {
            return None;
        }

        if (root is not JsonObject obj || obj.Any(p => p.Key != "repositories"))
        {
            throw new FormatException($"{file}: expected a mapping with one field, 'repositories'");
        }

        if (obj["repositories"] is not JsonArray list)
        {
            throw new FormatException($"{file}: repositories: expected a list");
        }

        var entries = new List<ChartRepositoryEntry>();
        for (var i = 0; i < list.Count; i++)
        {
            var at = $"{file}: repositories[{i}]";
            if (list[i] is not JsonObject item)
            {
                throw new FormatException($"{at}: expected a mapping");
            }

            foreach (var (key, _) in item)
            {
                if (key is not ("url" or "type" or "name" or "enableOCI" or "username" or "usernameFromEnv" or "password" or "passwordFromEnv" or "insecureOCIForceHttp" or "plainHttp"))
                {
                    throw new FormatException($"{at}.{key}: unknown field");
                }
            }

            var url = Text(item, "url", at) ?? throw new FormatException($"{at}.url: required");
            entries.Add(new ChartRepositoryEntry
            {
                Url = url,
                Username = Text(item, "username", at) ?? FromEnv(item, "usernameFromEnv", at, env),
                Password = Text(item, "password", at) ?? FromEnv(item, "passwordFromEnv", at, env),
                PlainHttp = Flag(item, "insecureOCIForceHttp", at) || Flag(item, "plainHttp", at),
            });
        }

        return new ChartRepositorySettings { Repositories = entries };
    }

    private static string? Text(JsonObject item, string field, string at) => item[field] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => throw new FormatException($"{at}.{field}: expected a string"),
    };

    private static bool Flag(JsonObject item, string field, string at) => item[field] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new FormatException($"{at}.{field}: expected true or false"),
    };

    private static string? FromEnv(JsonObject item, string field, string at, Func<string, string?> env)
    {
        if (Text(item, field, at) is not { } name)
        {
            return null;
        }

        return env(name) is { Length: > 0 } value ? value : throw new FormatException($"{at}.{field}: the environment variable {name} is not set");
    }
}
