using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>A real HTTP listener on 127.0.0.1 that answers with a scripted response and records what it was sent.</summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<RecordedRequest, int, (int Status, string Body, IReadOnlyDictionary<string, string> Headers)> respond;
    private readonly Task loop;
    private int count;

    public LocalHttpServer(Func<RecordedRequest, int, (int Status, string Body, IReadOnlyDictionary<string, string> Headers)> respond)
    {
        this.respond = respond;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The account endpoint in Azurite's path style.</summary>
    public Uri Endpoint(string account) => new($"http://127.0.0.1:{Port}/{account}");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var recorded = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? string.Empty, headers);
            Requests.Enqueue(recorded);
            var (status, body, responseHeaders) = respond(recorded, Interlocked.Increment(ref count));
            context.Response.StatusCode = status;

            // One connection per request: a pooled connection the listener closes after an error status would make the client's next attempt fail for the wrong reason.
            context.Response.KeepAlive = false;
            foreach (var (name, value) in responseHeaders)
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>What one request carried.</summary>
    public sealed record RecordedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers);
}
