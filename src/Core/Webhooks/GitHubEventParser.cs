using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Webhooks;

/// <summary>Reads a GitHub delivery (event name and raw body) into a <see cref="GitHubEvent"/> outcome; never throws for bad input.</summary>
public static class GitHubEventParser
{
    /// <summary>The largest payload GitHub sends (25 MB); the HTTP adapter answers 413 above it without reading further.</summary>
    public const int MaxPayloadBytes = 25 * 1024 * 1024;

    /// <summary>
    /// From this many commits a push's list may be cut short: GitHub documents at most 20 commits for timeline events (2,048 for webhook
    /// deliveries); the lower figure is taken, so a long push refreshes every app on its branch rather than miss one.
    /// </summary>
    public const int TruncatedCommits = 20;

    /// <summary>From this many paths in one commit's added/modified/removed lists, the lists may be cut short (GitHub caps the files a commit lists).</summary>
    public const int TruncatedFiles = 2048;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>
    /// Parses <c>ping</c> and <c>push</c> deliveries; other events give <see cref="GitHubIgnoredEvent"/>, and a missing event
    /// name or an unreadable payload gives <see cref="GitHubMalformedEvent"/>. Accepts JSON and GitHub's form-encoded
    /// <c>payload=</c> content type.
    /// </summary>
    public static GitHubEvent Parse(string? eventName, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(eventName))
        {
            return new GitHubMalformedEvent($"the {GitHubHeaders.Event} header is missing");
        }

        if (body.Length > MaxPayloadBytes)
        {
            return new GitHubMalformedEvent($"the payload is larger than {MaxPayloadBytes} bytes");
        }

        if (eventName is not ("push" or "ping"))
        {
            return new GitHubIgnoredEvent(eventName);
        }

        JsonObject payload;
        try
        {
            if (ReadPayload(body) is not JsonObject obj)
            {
                return new GitHubMalformedEvent($"the {eventName} payload is not a JSON object");
            }

            payload = obj;
        }
        catch (JsonException ex)
        {
            return new GitHubMalformedEvent($"the {eventName} payload is not valid JSON: {ex.Message}");
        }

        return eventName == "push" ? ParsePush(payload) : ParsePing(payload);
    }

    private static JsonNode? ReadPayload(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("payload="u8))
        {
            var json = WebUtility.UrlDecode(Encoding.UTF8.GetString(trimmed["payload="u8.Length..]));
            return JsonNode.Parse(json, documentOptions: Options);
        }

        return JsonNode.Parse(body, documentOptions: Options);
    }

    private static GitHubEvent ParsePing(JsonObject payload) => new GitHubPing
    {
        Zen = Text(payload, "zen"),
        HookId = payload["hook_id"] is JsonValue id && id.GetValueKind() == JsonValueKind.Number && id.TryGetValue<long>(out var hookId) ? hookId : null,
        Repository = payload["repository"] is JsonObject repository ? ParseRepository(repository) : null,
    };

    private static GitHubEvent ParsePush(JsonObject payload)
    {
        var reference = Text(payload, "ref");
        var after = Text(payload, "after");
        if (string.IsNullOrEmpty(reference))
        {
            return new GitHubMalformedEvent("the push payload has no \"ref\"");
        }

        if (string.IsNullOrEmpty(after))
        {
            return new GitHubMalformedEvent("the push payload has no \"after\" commit");
        }

        if (payload["repository"] is not JsonObject repositoryNode)
        {
            return new GitHubMalformedEvent("the push payload has no \"repository\"");
        }

        var repository = ParseRepository(repositoryNode);
        if (repository.Urls.Count == 0)
        {
            return new GitHubMalformedEvent("the push payload's repository has no URL");
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        var commits = payload["commits"] is JsonArray array ? array.OfType<JsonObject>().ToList() : [];
        var complete = commits.Count < TruncatedCommits;

        // head_commit is normally the last of commits. With no commits (a new tag, or a branch created at an existing
        // commit) its files tell what that old commit changed, not what this push changed, so they are not used then.
        if (commits.Count > 0 && payload["head_commit"] is JsonObject head)
        {
            commits.Add(head);
        }

        foreach (var commit in commits)
        {
            var listed = 0;
            foreach (var list in (string[])["added", "modified", "removed"])
            {
                if (commit[list] is JsonArray paths)
                {
                    listed += paths.Count;
                    files.UnionWith(paths.OfType<JsonValue>().Where(p => p.GetValueKind() == JsonValueKind.String).Select(p => p.GetValue<string>()));
                }
            }

            complete &= listed < TruncatedFiles;
        }

        return new GitHubPush
        {
            Ref = reference,
            Before = Text(payload, "before") ?? string.Empty,
            After = after,
            Created = Flag(payload, "created"),
            Deleted = Flag(payload, "deleted"),
            Forced = Flag(payload, "forced"),
            Repository = repository,
            ChangedFiles = [.. files],
            ChangedFilesComplete = complete,
            HeadCommitId = payload["head_commit"] is JsonObject headCommit ? Text(headCommit, "id") : null,
        };
    }

    private static GitHubRepository ParseRepository(JsonObject repository) => new()
    {
        FullName = Text(repository, "full_name"),
        HtmlUrl = Text(repository, "html_url"),
        CloneUrl = Text(repository, "clone_url"),
        SshUrl = Text(repository, "ssh_url"),
        GitUrl = Text(repository, "git_url"),
        DefaultBranch = Text(repository, "default_branch") ?? Text(repository, "master_branch"),
    };

    private static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool Flag(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
