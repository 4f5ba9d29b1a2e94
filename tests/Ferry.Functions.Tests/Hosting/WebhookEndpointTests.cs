using System.Net;
using System.Text.Json.Nodes;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Hosting;

public sealed class WebhookEndpointTests
{
    [Fact]
    public async Task Post_Delivery_PassesBodyByteExactAndHeaders()
    {
        var handler = new RecordingWebhookHandler(new WebhookResponse(202, "queued") { Apps = ["payments", "guestbook"] });
        await using var app = await TestWebApp.StartAsync(configure: o => o with { WebhookHandler = handler });
        // Whitespace and key order matter to the HMAC: the handler must see exactly these bytes.
        var body = "{ \"ref\" :\"refs/heads/main\",\r\n  \"after\":\"abc\" }\n"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        request.Headers.Add("X-Hub-Signature-256", "sha256=00ff");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var received = Assert.Single(handler.Requests);
        Assert.Equal(body, received.Body.ToArray());
        Assert.Equal("push", received.Event);
        Assert.Equal("72d3162e-cc78-11e3-81ab-4c9367dc0958", received.DeliveryId);
        Assert.Equal("sha256=00ff", received.Signature256);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("queued", (string?)json["message"]);
        Assert.Equal(["guestbook", "payments"], json["apps"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public async Task Post_BodyOverLimit_Answers413WithoutCallingHandler()
    {
        var handler = new RecordingWebhookHandler(new WebhookResponse(202, "queued"));
        await using var app = await TestWebApp.StartAsync(configure: o => o with { WebhookHandler = handler, MaxWebhookBodyBytes = 1024 });

        using var response = await app.Client.PostAsync("/api/github", new ByteArrayContent(new byte[1025]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Answers413()
    {
        var handler = new RecordingWebhookHandler(new WebhookResponse(202, "queued"));
        await using var app = await TestWebApp.StartAsync(configure: o => o with { WebhookHandler = handler, MaxWebhookBodyBytes = 1024 });
        var content = new StreamContent(new MemoryStream(new byte[4096]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Post_NoHandler_Answers503()
    {
        await using var app = await TestWebApp.StartAsync();

        using var response = await app.Client.PostAsync("/api/github", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no webhook handler", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class RecordingWebhookHandler(WebhookResponse answer) : IWebhookHandler
    {
        public List<WebhookRequest> Requests { get; } = [];

        public Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            return Task.FromResult(answer);
        }
    }
}
