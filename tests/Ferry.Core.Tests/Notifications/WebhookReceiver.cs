using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Ferry.Core.Tests.Notifications;

/// <summary>A real HTTP listener on 127.0.0.1 that records JSON POSTs and answers with scripted status codes (200 once the script runs out).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _script;
    private readonly Task _loop;

    public WebhookReceiver(params int[] statuses)
    {
        _script = new ConcurrentQueue<int>(statuses);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path.TrimStart('/')}");

    /// <summary>Every request: path, headers and parsed body, in arrival order.</summary>
    public ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers, JsonObject Body, int Answered)> Received { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = JsonNode.Parse(await reader.ReadToEndAsync()) as JsonObject ?? [];
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var status = _script.TryDequeue(out var scripted) ? scripted : 200;
            Received.Enqueue((context.Request.RawUrl ?? string.Empty, headers, body, status));
            context.Response.StatusCode = status;
            context.Response.KeepAlive = false;
            context.Response.Close();
        }
    }
}
