using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Hosting;

public sealed class InvocationEndpointTests
{
    [Fact]
    public async Task SyncWorker_HostPayload_CallsHandlerAndAnswersEnvelope()
    {
        var handler = new RecordingJobHandler();
        await using var app = await TestWebApp.StartAsync(configure: o => o with { JobHandler = handler });

        using var response = await PostFixtureAsync(app, "/SyncWorker", "queue-invocation.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(handler.Calls);
        Assert.Contains("\"app\":\"guestbook\"", call.MessageText, StringComparison.Ordinal);
        Assert.Equal(2, call.DequeueCount);
        Assert.Equal("800ae4b3-bdd2-4c08-badd-f08e5a34b865", call.Id);

        var envelope = await ReadJsonAsync(response);
        Assert.Equal(["Logs", "Outputs", "ReturnValue"], envelope.Select(p => p.Key).Order(StringComparer.Ordinal));
        var logs = envelope["Logs"]!.AsArray().Select(l => (string)l!).ToList();
        Assert.Equal("handled guestbook", logs[0]);
        Assert.Contains(logs, l => l.StartsWith("SyncWorker finished in", StringComparison.Ordinal));
        Assert.Null(envelope["ReturnValue"]);
    }

    [Fact]
    public async Task SyncWorker_HandlerThrows_Answers500WithTheErrorInLogs()
    {
        var handler = new RecordingJobHandler { Failure = new InvalidOperationException("cluster unreachable") };
        await using var app = await TestWebApp.StartAsync(configure: o => o with { JobHandler = handler });

        using var response = await PostFixtureAsync(app, "/SyncWorker", "queue-invocation.json");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var envelope = await ReadJsonAsync(response);
        var log = Assert.Single(envelope["Logs"]!.AsArray());
        Assert.Equal("SyncWorker failed: InvalidOperationException: cluster unreachable", (string?)log);
    }

    [Fact]
    public async Task SyncWorker_NoHandler_Answers503SoTheHostRetries()
    {
        await using var app = await TestWebApp.StartAsync();

        using var response = await PostFixtureAsync(app, "/SyncWorker", "queue-invocation.json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var envelope = await ReadJsonAsync(response);
        Assert.Contains("no handler is configured for SyncWorker", (string?)envelope["Logs"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWorker_NotAnEnvelope_Answers400AndSkipsTheHandler()
    {
        var handler = new RecordingJobHandler();
        await using var app = await TestWebApp.StartAsync(configure: o => o with { JobHandler = handler });

        using var response = await app.Client.PostAsync("/SyncWorker", new StringContent("""{"Data":{}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(handler.Calls);
        var envelope = await ReadJsonAsync(response);
        Assert.Contains("Data.job", (string?)envelope["Logs"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DriftCheck_HostPayload_CallsHandlerWithTimerInfo()
    {
        var handler = new RecordingDriftHandler();
        await using var app = await TestWebApp.StartAsync(configure: o => o with { DriftHandler = handler });

        using var response = await PostFixtureAsync(app, "/DriftCheck", "timer-invocation.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(handler.Calls);
        Assert.True(call.IsPastDue);
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 12, 3, 0, TimeSpan.Zero), call.Next);
        var envelope = await ReadJsonAsync(response);
        Assert.Equal("queued 5 refresh jobs", (string?)envelope["Logs"]![0]);
        Assert.Equal(5, (int?)envelope["ReturnValue"]);
    }

    [Fact]
    public async Task DriftCheck_NoHandler_Answers503()
    {
        await using var app = await TestWebApp.StartAsync();

        using var response = await PostFixtureAsync(app, "/DriftCheck", "timer-invocation.json");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostFixtureAsync(TestWebApp app, string path, string fixture)
    {
        var body = await File.ReadAllBytesAsync(RepoPaths.TestData("Hosting", "testdata", fixture));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return await app.Client.PostAsync(path, content);
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private sealed class RecordingJobHandler : IJobInvocationHandler
    {
        public List<QueueInvocation> Calls { get; } = [];

        public Exception? Failure { get; init; }

        public Task<InvocationResult> HandleAsync(QueueInvocation invocation, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(invocation);
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            using var message = JsonDocument.Parse(invocation.MessageText);
            return Task.FromResult(new InvocationResult { Logs = [$"handled {message.RootElement.GetProperty("app").GetString()}"] });
        }
    }

    private sealed class RecordingDriftHandler : IDriftInvocationHandler
    {
        public List<TimerInvocation> Calls { get; } = [];

        public Task<InvocationResult> HandleAsync(TimerInvocation invocation, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(invocation);
            }

            return Task.FromResult(new InvocationResult { Logs = ["queued 5 refresh jobs"], ReturnValue = 5 });
        }
    }
}
