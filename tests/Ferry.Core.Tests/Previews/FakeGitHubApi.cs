using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Ferry.Core.Tests.Previews;

/// <summary>
/// GitHub's REST API as far as pull request previews use it, on 127.0.0.1:0 under <c>/api/v3</c> (GitHub Enterprise Server's root):
/// <c>GET /repos/{owner}/{repo}/pulls/{number}/files</c>, <c>POST /repos/{owner}/{repo}/check-runs</c> and
/// <c>PATCH /repos/{owner}/{repo}/check-runs/{id}</c>. Each request is checked against GitHub's documented shape — method and
/// path, <c>Authorization</c> with the token, a JSON <c>Accept</c>, a <c>User-Agent</c>, required body fields (<c>name</c>,
/// <c>head_sha</c>; a <c>conclusion</c> from the documented values when completed; an output's <c>title</c> and <c>summary</c> of
/// at most 65535 characters) — and recorded; a request that breaks the shape is answered 422 and listed in <see cref="Violations"/>.
/// </summary>
internal sealed partial class FakeGitHubApi : IAsyncDisposable
{
    public const string Token = "ghs_fakeInstallationToken123";

    private static readonly string[] Statuses = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];
    private static readonly string[] Conclusions = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"];

    private readonly ConcurrentDictionary<long, JsonObject> _runs = new();
    private LoopbackHttpServer _server = null!;
    private long _nextId = 1000;

    /// <summary>The API root to give Ferry (<c>http://127.0.0.1:port/api/v3</c>).</summary>
    public Uri ApiUrl => new($"http://127.0.0.1:{_server.Port}/api/v3");

    /// <summary>The files GitHub lists per pull request number.</summary>
    public ConcurrentDictionary<int, string[]> PullRequestFiles { get; } = new();

    /// <summary>Every request: method, path and JSON body (null for none).</summary>
    public ConcurrentQueue<(string Method, string Path, JsonObject? Body)> Requests { get; } = new();

    /// <summary>Requests that broke GitHub's documented shape.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>The check runs as they stand after every create and update.</summary>
    public IReadOnlyDictionary<long, JsonObject> Runs => _runs;

    public static async Task<FakeGitHubApi> StartAsync()
    {
        var api = new FakeGitHubApi();
        api._server = await LoopbackHttpServer.StartAsync(api.HandleAsync);
        return api;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        JsonObject? body = null;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync()) as JsonObject;
        }

        Requests.Enqueue((request.Method, path, body));
        var problems = new List<string>();
        // The scheme is case-insensitive (RFC 9110); GitHub takes "token" and "Bearer".
        var authorization = request.Headers.Authorization.ToString().Split(' ', 2);
        if (authorization is not [var scheme, Token] || !(scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase)))
        {
            Violations.Enqueue($"{request.Method} {path}: Authorization '{request.Headers.Authorization}'");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" });
            return;
        }

        if (!request.Headers.Accept.ToString().Contains("json", StringComparison.Ordinal))
        {
            problems.Add($"{request.Method} {path}: Accept must ask for JSON (application/vnd.github+json), got '{request.Headers.Accept}'");
        }

        if (string.IsNullOrEmpty(request.Headers.UserAgent))
        {
            problems.Add($"{request.Method} {path}: GitHub refuses requests without a User-Agent");
        }

        JsonObject? answer = null;
        var status = StatusCodes.Status200OK;
        if (request.Method == "GET" && Files().Match(path) is { Success: true } files)
        {
            var number = int.Parse(files.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture);
            await Respond(context, problems, StatusCodes.Status200OK, new JsonArray([.. (PullRequestFiles.GetValueOrDefault(number) ?? []).Select((f, i) => (JsonNode)new JsonObject
            {
                ["sha"] = new string((char)('a' + (i % 6)), 40),
                ["filename"] = f,
                ["status"] = "modified",
                ["additions"] = 1,
                ["deletions"] = 1,
                ["changes"] = 2,
                ["blob_url"] = $"https://github.com/x/y/blob/sha/{f}",
                ["raw_url"] = $"https://github.com/x/y/raw/sha/{f}",
                ["contents_url"] = $"https://api.github.com/repos/x/y/contents/{f}",
                ["patch"] = "@@ -1 +1 @@",
            })]));
            return;
        }

        if (request.Method == "POST" && CheckRuns().Match(path) is { Success: true })
        {
            CheckBody(body, problems, create: true);
            var id = Interlocked.Increment(ref _nextId);
            answer = Run(id, body);
            status = StatusCodes.Status201Created;
        }
        else if (request.Method == "PATCH" && CheckRun().Match(path) is { Success: true } run)
        {
            var id = long.Parse(run.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture);
            CheckBody(body, problems, create: false);
            if (!_runs.ContainsKey(id))
            {
                problems.Add($"PATCH {path}: no check run {id}");
            }

            answer = Run(id, body);
        }
        else
        {
            problems.Add($"{request.Method} {path}: not an endpoint a preview uses");
            status = StatusCodes.Status404NotFound;
        }

        await Respond(context, problems, status, answer ?? new JsonObject { ["message"] = "Not Found" });
    }

    private async Task Respond(HttpContext context, List<string> problems, int status, JsonNode answer)
    {
        foreach (var problem in problems)
        {
            Violations.Enqueue(problem);
        }

        context.Response.StatusCode = problems.Count > 0 ? StatusCodes.Status422UnprocessableEntity : status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(problems.Count > 0 ? JsonSerializer.Serialize(new { message = "Validation Failed", errors = problems }) : answer.ToJsonString());
    }

    /// <summary>Merges the request into the stored run and answers GitHub's check run object.</summary>
    private JsonObject Run(long id, JsonObject? body)
    {
        var run = _runs.GetOrAdd(id, _ => new JsonObject { ["id"] = id, ["node_id"] = $"CR_{id}", ["status"] = "queued" });
        foreach (var (key, value) in body ?? [])
        {
            run[key] = value?.DeepClone();
        }

        var answer = (JsonObject)run.DeepClone();
        answer["url"] = $"{ApiUrl}/repos/x/y/check-runs/{id}";
        answer["html_url"] = $"https://github.com/x/y/runs/{id}";
        answer["details_url"] = $"https://github.com/x/y/runs/{id}";
        answer["external_id"] = string.Empty;
        answer["output"] = new JsonObject
        {
            ["title"] = run["output"]?["title"]?.DeepClone(),
            ["summary"] = run["output"]?["summary"]?.DeepClone(),
            ["text"] = null,
            ["annotations_count"] = 0,
            ["annotations_url"] = $"{ApiUrl}/repos/x/y/check-runs/{id}/annotations",
        };
        answer["pull_requests"] = new JsonArray();
        return answer;
    }

    private static void CheckBody(JsonObject? body, List<string> problems, bool create)
    {
        if (body is null)
        {
            problems.Add("check run request without a JSON body");
            return;
        }

        if (create && (string?)body["name"] is not { Length: > 0 })
        {
            problems.Add("check run: 'name' is required");
        }

        if (create && ((string?)body["head_sha"] is not { Length: 40 } sha || !sha.All(char.IsAsciiHexDigit)))
        {
            problems.Add("check run: 'head_sha' must be a full commit SHA");
        }

        var status = (string?)body["status"];
        if (status is not null && !Statuses.Contains(status))
        {
            problems.Add($"check run: status '{status}' is not one of {string.Join(", ", Statuses)}");
        }

        var conclusion = (string?)body["conclusion"];
        if ((status == "completed" || body["completed_at"] is not null) && conclusion is null)
        {
            problems.Add("check run: a completed run needs a 'conclusion'");
        }

        if (conclusion is not null && !Conclusions.Contains(conclusion))
        {
            problems.Add($"check run: conclusion '{conclusion}' is not one of {string.Join(", ", Conclusions)}");
        }

        if (body["output"] is JsonObject output)
        {
            if ((string?)output["title"] is not { Length: > 0 } || (string?)output["summary"] is not { Length: > 0 } summary)
            {
                problems.Add("check run: an output needs 'title' and 'summary'");
            }
            else if (summary.Length > 65535)
            {
                problems.Add($"check run: output.summary is {summary.Length} characters; GitHub allows 65535");
            }
        }
    }

    [GeneratedRegex(@"^/api/v3/repos/[^/]+/[^/]+/pulls/(?<number>\d+)/files$")]
    private static partial Regex Files();

    [GeneratedRegex(@"^/api/v3/repos/[^/]+/[^/]+/check-runs$")]
    private static partial Regex CheckRuns();

    [GeneratedRegex(@"^/api/v3/repos/[^/]+/[^/]+/check-runs/(?<id>\d+)$")]
    private static partial Regex CheckRun();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
