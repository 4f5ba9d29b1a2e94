using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ferry.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ferry.Core.Tests.Notifications;

/// <summary>A real HTTP listener on 127.0.0.1 (port 0) that records JSON POSTs and answers with scripted status codes (200 once the script runs out).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<int> _script;
    private LoopbackHttpServer? _server;

    private WebhookReceiver(int[] statuses)
    {
        _script = new ConcurrentQueue<int>(statuses);
    }

    public int Port => _server!.Port;

    /// <summary>Every request: path, headers and parsed body, in arrival order.</summary>
    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers, JsonObject Body, int Answered)> Received { get; } = new();

    /// <summary>Starts listening on a port the kernel picks; <paramref name="statuses"/> are the first answers, in order.</summary>
    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var receiver = new WebhookReceiver(statuses);
        receiver._server = await LoopbackHttpServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync(context.RequestAborted)) as JsonObject ?? [];
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var status = _script.TryDequeue(out var scripted) ? scripted : 200;
        Received.Enqueue((context.Features.Get<IHttpRequestFeature>()!.RawTarget, headers, body, status));
        context.Response.StatusCode = status;
        context.Response.Headers.Connection = "close";
    }
}
