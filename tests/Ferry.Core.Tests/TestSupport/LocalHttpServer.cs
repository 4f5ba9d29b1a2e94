using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>A real HTTP listener on 127.0.0.1 (port 0) that answers with a scripted response and records what it was sent.</summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly Func<RecordedRequest, int, (int Status, string Body, IReadOnlyDictionary<string, string> Headers)> respond;
    private LoopbackHttpServer? server;
    private int count;

    private LocalHttpServer(Func<RecordedRequest, int, (int Status, string Body, IReadOnlyDictionary<string, string> Headers)> respond)
    {
        this.respond = respond;
    }

    public int Port => server!.Port;

    /// <summary>The account endpoint in Azurite's path style.</summary>
    public Uri Endpoint(string account) => new($"http://127.0.0.1:{Port}/{account}");

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Starts listening on a port the kernel picks.</summary>
    public static async Task<LocalHttpServer> StartAsync(Func<RecordedRequest, int, (int Status, string Body, IReadOnlyDictionary<string, string> Headers)> respond)
    {
        var local = new LocalHttpServer(respond);
        local.server = await LoopbackHttpServer.StartAsync(local.HandleAsync);
        return local;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(context.Request.Method, context.Features.Get<IHttpRequestFeature>()!.RawTarget, headers);
        Requests.Enqueue(recorded);
        var (status, body, responseHeaders) = respond(recorded, Interlocked.Increment(ref count));
        context.Response.StatusCode = status;

        // One connection per request: a pooled connection the server closes after an error status would make the client's next attempt fail for the wrong reason.
        context.Response.Headers.Connection = "close";
        foreach (var (name, value) in responseHeaders)
        {
            context.Response.Headers[name] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>What one request carried.</summary>
    public sealed record RecordedRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers);
}
