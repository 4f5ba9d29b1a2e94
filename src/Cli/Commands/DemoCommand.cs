using System.CommandLine;
using Ferry.Cli.Local;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry demo push</c>: commits a change to the demo repository and sends GitHub's signed push webhook.</summary>
internal static class DemoCommand
{
    /// <summary>How long the check that a server answers may take before the push gives up.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var state = new Option<string>("--state") { Description = "The state directory `ferry serve --demo` uses", DefaultValueFactory = _ => ".state" };
        var url = new Option<string>("--url") { Description = "Where `ferry serve` listens", DefaultValueFactory = _ => "http://127.0.0.1:7071/" };
        var format = new Option<string>("--output", "-o") { Description = "table (lines) or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(CommonOptions.Formats);
        var push = new Command("push", "Commit a change to the demo repository and send its signed push webhook") { state, url, format };
        push.SetAction((parse, cancellationToken) => PushAsync(parse.GetValue(state)!, parse.GetValue(url)!, parse.GetValue(format) == "json",
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return new Command("demo", "The local demo's helpers") { push };
    }

    /// <summary>
    /// Checks that <c>ferry serve</c> answers at <paramref name="url"/> before committing (so no commit is left without its delivery),
    /// commits, sends the signed push, and says plainly what happened when the delivery fails after the commit.
    /// </summary>
    private static async Task<int> PushAsync(string stateDir, string url, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (DemoRepository.Find(stateDir) is not { } demo)
        {
            await error.WriteLineAsync($"error: no demo in {stateDir}: start `ferry serve --demo --state {stateDir}` first");
            return ExitCodes.CouldNotRun;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"error: --url {url}: not an http(s) URL");
            return ExitCodes.CouldNotRun;
        }

        using var http = new HttpClient { Timeout = ProbeTimeout };
        if (await ProbeAsync(http, baseAddress, cancellationToken) is { } problem)
        {
            await error.WriteLineAsync($"error: no ferry serve answers at {baseAddress} ({problem}); start `ferry serve --demo --state {stateDir}`; nothing was committed");
            return ExitCodes.CouldNotRun;
        }

        var (before, after, file) = await demo.CommitChangeAsync(cancellationToken);
        if (!json)
        {
            await output.WriteLineAsync($"committed {after[..7]} ({file}) to {demo.RepositoryPath}");
        }

        var endpoint = new Uri(baseAddress, "api/github");
        try
        {
            var (status, body) = await DemoRepository.SendWebhookAsync(http, endpoint, "push", DemoRepository.PushPayload(before, after, [file]), demo.Secret, cancellationToken);
            if (status is >= 200 and < 300)
            {
                await output.WriteLineAsync(json
                    ? new System.Text.Json.Nodes.JsonObject
                    {
                        ["commit"] = after,
                        ["file"] = file,
                        ["repository"] = demo.RepositoryPath,
                        ["webhook"] = new System.Text.Json.Nodes.JsonObject { ["url"] = endpoint.ToString(), ["status"] = status, ["response"] = ParseOrText(body) },
                    }.ToJsonString()
                    : $"webhook → {endpoint}: {status} {body}");
                return ExitCodes.Ok;
            }

            await error.WriteLineAsync($"error: committed {after[..7]}, but {endpoint} answered the push with {status} {OneLine(body)}; the next drift check (or the next push) deploys it");
            return ExitCodes.Failed;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"error: committed {after[..7]}, but its push could not be delivered to {endpoint} ({ex.Message}); the next drift check (or the next push) deploys it");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Null when a Ferry status API answers at the address, else why not.</summary>
    private static async Task<string?> ProbeAsync(HttpClient http, Uri baseAddress, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, "api/apps"), cancellationToken);
            return response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json"
                ? null
                : $"GET api/apps answered {(int)response.StatusCode}, not Ferry's status API";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
    }

    private static System.Text.Json.Nodes.JsonNode? ParseOrText(string body)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
