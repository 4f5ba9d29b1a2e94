using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Notifications;

/// <summary>
/// Reads <see cref="NotificationSettings"/> from a YAML file (<c>webhooks</c>, <c>github</c>, <c>retry</c>) and environment settings.
/// Secrets are best named by environment variable (<c>urlFromEnv</c>, <c>tokenFromEnv</c>) so the file holds none.
/// </summary>
public static class NotificationSettingsLoader
{
    /// <summary>
    /// The settings from the environment: <c>FERRY_NOTIFICATIONS</c> (a file, read first), then <c>FERRY_NOTIFY_WEBHOOK_URL</c>
    /// (+ <c>FERRY_NOTIFY_WEBHOOK_FORMAT</c>, <c>FERRY_NOTIFY_TRIGGERS</c>) adds one webhook, and <c>FERRY_GITHUB_TOKEN</c>
    /// (+ <c>FERRY_GITHUB_API_URL</c>) turns on commit statuses.
    /// </summary>
    public static async Task<NotificationSettings> FromEnvironmentAsync(Func<string, string?> env, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(env);
        var settings = env("FERRY_NOTIFICATIONS") is { Length: > 0 } file ? await LoadAsync(file, env, cancellationToken).ConfigureAwait(false) : new NotificationSettings();
        if (env("FERRY_NOTIFY_WEBHOOK_URL") is { Length: > 0 } url)
        {
            var target = new WebhookTarget
            {
                Name = "FERRY_NOTIFY_WEBHOOK_URL",
                Url = ParseUrl(url, "FERRY_NOTIFY_WEBHOOK_URL"),
                Format = ParseFormat(env("FERRY_NOTIFY_WEBHOOK_FORMAT") ?? "generic", "FERRY_NOTIFY_WEBHOOK_FORMAT"),
                Triggers = env("FERRY_NOTIFY_TRIGGERS") is { Length: > 0 } triggers ? ParseTriggers(triggers.Split(','), "FERRY_NOTIFY_TRIGGERS") : Enum.GetValues<NotificationTrigger>(),
            };
            settings = settings with { Webhooks = [.. settings.Webhooks, target] };
        }

        if (env("FERRY_GITHUB_TOKEN") is { Length: > 0 } token)
        {
            settings = settings with
            {
                GitHub = (settings.GitHub ?? new GitHubStatusSettings { Token = token }) with
                {
                    Token = token,
                    ApiUrl = env("FERRY_GITHUB_API_URL") is { Length: > 0 } api ? ParseUrl(api, "FERRY_GITHUB_API_URL") : settings.GitHub?.ApiUrl ?? new Uri("https://api.github.com/"),
                },
            };
        }

        return settings;
    }

    /// <summary>Reads a notifications file; <paramref name="env"/> resolves <c>urlFromEnv</c> and <c>tokenFromEnv</c>.</summary>
    public static async Task<NotificationSettings> LoadAsync(string path, Func<string, string?> env, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path, env);
    }

    /// <summary>Parses notifications YAML; a <see cref="FormatException"/> names the file and field (never a secret's value).</summary>
    public static NotificationSettings Parse(string text, string file, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = YamlReader.ReadSettings(text, file);

        if (root is null)
        {
            return new NotificationSettings();
        }

        if (root is not JsonObject obj)
        {
            throw new FormatException($"{file}: expected a mapping with 'webhooks', 'github' or 'retry'");
        }

        var settings = new NotificationSettings();
        var webhooks = new List<WebhookTarget>();
        if (obj["webhooks"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var where = $"{file}: webhooks[{i}]";
                if (list[i] is not JsonObject item)
                {
                    throw new FormatException($"{where}: must be a mapping");
                }

                var name = (string?)item["name"] ?? $"webhook-{i}";
                var url = Secret(item, "url", "urlFromEnv", where, env) ?? throw new FormatException($"{where}: 'url' or 'urlFromEnv' is required");
                webhooks.Add(new WebhookTarget
                {
                    Name = name,
                    Url = ParseUrl(url, $"{where}.url"),
                    Format = ParseFormat((string?)item["format"] ?? "generic", $"{where}.format"),
                    Triggers = item["triggers"] is JsonArray triggers
                        ? ParseTriggers(triggers.Select(t => (string?)t ?? string.Empty), $"{where}.triggers")
                        : Enum.GetValues<NotificationTrigger>(),
                });
            }
        }

        settings = settings with { Webhooks = webhooks };
        if (obj["github"] is JsonObject github)
        {
            var where = $"{file}: github";
            if (Secret(github, "token", "tokenFromEnv", where, env) is { } token)
            {
                settings = settings with
                {
                    GitHub = new GitHubStatusSettings
                    {
                        Token = token,
                        ApiUrl = (string?)github["apiUrl"] is { } api ? ParseUrl(api, $"{where}.apiUrl") : new Uri("https://api.github.com/"),
                        Host = (string?)github["host"] ?? "github.com",
                        TargetUrl = (string?)github["targetUrl"],
                    },
                };
            }
        }

        if (obj["retry"] is JsonObject retry)
        {
            if (retry["attempts"] is JsonValue attempts)
            {
                settings = settings with { MaxAttempts = Math.Max(1, int.Parse(attempts.ToString(), CultureInfo.InvariantCulture)) };
            }

            if ((string?)retry["delay"] is { } delay)
            {
                settings = settings with { RetryDelay = ParseDuration(delay, $"{file}: retry.delay") };
            }
        }

        return settings;
    }

    private static string? Secret(JsonObject item, string field, string envField, string where, Func<string, string?> env)
    {
        if ((string?)item[envField] is { } variable)
        {
            return env(variable) is { Length: > 0 } value ? value : throw new FormatException($"{where}.{envField}: environment variable {variable} is not set");
        }

        return (string?)item[field];
    }

    private static Uri ParseUrl(string text, string where) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{where}: not an http(s) URL");

    private static NotificationFormat ParseFormat(string text, string where) => text.Trim().ToLowerInvariant() switch
    {
        "generic" or "json" => NotificationFormat.Generic,
        "slack" => NotificationFormat.Slack,
        "teams" => NotificationFormat.Teams,
        _ => throw new FormatException($"{where}: '{text}' is not a format (generic, slack, teams)"),
    };

    private static NotificationTrigger[] ParseTriggers(IEnumerable<string> names, string where) =>
        [.. names.Select(n => NotificationTriggers.Parse(n) ?? throw new FormatException($"{where}: '{n}' is not a trigger (on-sync-succeeded, on-sync-failed, on-health-degraded, on-deployed)"))];

    private static TimeSpan ParseDuration(string text, string where)
    {
        var split = text.Trim().TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = text.Trim()[split..];
        var number = double.TryParse(text.Trim()[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"{where}: '{text}' is not a duration");
        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" or "" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => throw new FormatException($"{where}: '{text}' is not a duration (ms, s, m)"),
        };
    }
}
