using System.Net;
using System.Text.Json.Nodes;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Hosting;

/// <summary>Reads the function definitions from the functions project's build output, where the same MSBuild items put them for publish.</summary>
public sealed class FunctionDefinitionTests
{
    private static readonly string[] ExpectedFunctions =
    [
        FunctionNames.Badge, FunctionNames.DriftCheck, FunctionNames.GitHubWebhook,
        FunctionNames.Status, FunctionNames.StatusPage, FunctionNames.SyncWorker,
    ];

    [Fact]
    public void Output_HasHostJsonAndFunctionFolders()
    {
        var output = RepoPaths.FunctionsOutput;

        Assert.True(File.Exists(Path.Combine(output, "host.json")), $"host.json missing in {output}");
        var folders = Directory.GetDirectories(output)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        Assert.Equal(ExpectedFunctions, folders);
    }

    [Fact]
    public void HostJson_ConfiguresTheCustomHandlerQueuesAndRoutes()
    {
        var host = ReadJson("host.json");

        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("00:10:00", (string?)host["functionTimeout"]);
        var handler = host["customHandler"]!;
        Assert.Equal("ferry", (string?)handler["description"]!["defaultExecutablePath"]);
        Assert.Equal("handler", (string?)handler["description"]!["arguments"]![0]);
        Assert.True((bool?)handler["enableProxyingHttpRequest"]);
        Assert.Equal(string.Empty, (string?)host["extensions"]!["http"]!["routePrefix"]);
        var queues = host["extensions"]!["queues"]!;
        Assert.Equal(5, (int?)queues["maxDequeueCount"]);
        Assert.Equal("00:00:30", (string?)queues["visibilityTimeout"]);
        Assert.Equal("base64", (string?)queues["messageEncoding"]);
        Assert.Equal("Microsoft.Azure.Functions.ExtensionBundle", (string?)host["extensionBundle"]!["id"]);
        Assert.Equal("[4.*, 5.0.0)", (string?)host["extensionBundle"]!["version"]);
        Assert.True((bool?)host["logging"]!["applicationInsights"]!["samplingSettings"]!["isEnabled"]);
    }

    [Theory]
    [InlineData(FunctionNames.GitHubWebhook, "post", "api/github")]
    [InlineData(FunctionNames.Status, "get", "api/apps/{name?}")]
    [InlineData(FunctionNames.Badge, "get", "api/badge/{name}")]
    [InlineData(FunctionNames.StatusPage, "get", "{page?}")]
    public void HttpFunction_HasAnonymousTriggerAndHttpOutput(string function, string method, string route)
    {
        var bindings = ReadJson(function, "function.json")["bindings"]!.AsArray();

        Assert.Equal(2, bindings.Count);
        var trigger = bindings.Single(b => (string?)b!["type"] == "httpTrigger")!;
        Assert.Equal("in", (string?)trigger["direction"]);
        Assert.Equal("anonymous", (string?)trigger["authLevel"]);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(route, (string?)trigger["route"]);
        var output = bindings.Single(b => (string?)b!["type"] == "http")!;
        Assert.Equal("out", (string?)output["direction"]);
    }

    [Fact]
    public void SyncWorker_IsAQueueTriggerOnFerryJobs()
    {
        var binding = Assert.Single(ReadJson(FunctionNames.SyncWorker, "function.json")["bindings"]!.AsArray())!;

        Assert.Equal("queueTrigger", (string?)binding["type"]);
        Assert.Equal("in", (string?)binding["direction"]);
        Assert.Equal(FunctionNames.JobBinding, (string?)binding["name"]);
        Assert.Equal("ferry-jobs", (string?)binding["queueName"]);
        Assert.Equal("AzureWebJobsStorage", (string?)binding["connection"]);
    }

    [Fact]
    public void DriftCheck_IsATimerEveryThreeMinutes()
    {
        var binding = Assert.Single(ReadJson(FunctionNames.DriftCheck, "function.json")["bindings"]!.AsArray())!;

        Assert.Equal("timerTrigger", (string?)binding["type"]);
        Assert.Equal(FunctionNames.TimerBinding, (string?)binding["name"]);
        Assert.Equal("0 */3 * * * *", (string?)binding["schedule"]);
    }

    [Fact]
    public async Task EveryFunction_IsServedByTheHandler()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        foreach (var function in ExpectedFunctions)
        {
            var trigger = ReadJson(function, "function.json")["bindings"]!.AsArray()
                .Single(b => ((string?)b!["type"])!.EndsWith("Trigger", StringComparison.Ordinal))!;
            HttpRequestMessage request;
            if ((string?)trigger["type"] == "httpTrigger")
            {
                // With enableProxyingHttpRequest the host forwards the original path: routePrefix "" + route.
                var path = "/" + ((string)trigger["route"]!)
                    .Replace("{name?}", "guestbook", StringComparison.Ordinal)
                    .Replace("{name}", "guestbook", StringComparison.Ordinal)
                    .Replace("{page?}", string.Empty, StringComparison.Ordinal);
                var method = new HttpMethod(((string)trigger["methods"]![0]!).ToUpperInvariant());
                request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? new StringContent("{}") : null };
            }
            else
            {
                // Non-HTTP triggers are posted to /<FunctionName> with the invocation envelope.
                request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = new StringContent("""{"Data":{},"Metadata":{}}""") };
            }

            using (request)
            using (var response = await app.Client.SendAsync(request))
            {
                // Routed: the app's own answer (200, or 503 where the lead's handler is not wired here), never a routing 404/405.
                Assert.True(
                    response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                    $"{function}: {request.Method} {request.RequestUri} answered {(int)response.StatusCode}");
            }
        }
    }

    private static JsonNode ReadJson(params string[] parts) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine([RepoPaths.FunctionsOutput, .. parts])))!;
}
