using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>A Kestrel listener on 127.0.0.1:0 that answers method + path with recorded kube-apiserver exchanges and records what it was sent.</summary>
internal sealed class KubeReplayServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Queue<Reply>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    private KubeReplayServer()
    {
    }

    /// <summary>The base address, http:// or https:// when started with a certificate.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Set when a request reaches a route mapped with <see cref="MapHang"/>.</summary>
    public TaskCompletionSource HangReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts on 127.0.0.1 with an ephemeral port; with a certificate it speaks TLS with HTTP/2 and HTTP/1.1 (ALPN) and accepts any client certificate.</summary>
    public static async Task<KubeReplayServer> StartAsync(X509Certificate2? certificate = null)
    {
        var server = new KubeReplayServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            if (certificate is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate;
                    https.AllowAnyClientCertificate();
                });
            }
        }));
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="pathAndQuery"/> with recorded exchanges in turn (the last one repeats), replacing earlier mappings.</summary>
    public void Map(string method, string pathAndQuery, params string[] exchanges)
    {
        _routes.TryRemove($"{method} {pathAndQuery}", out _);
        ThenMap(method, pathAndQuery, exchanges);
    }

    /// <summary>Adds recorded exchanges after whatever the route answers first.</summary>
    public void ThenMap(string method, string pathAndQuery, params string[] exchanges) =>
        Add(method, pathAndQuery, exchanges.Select(Exchange.Load).Select(e => new Reply(e.Status, e.Headers, e.Body, false)));

    /// <summary>Answers with a made-up status, headers and body (for retry tests), replacing earlier mappings; add later answers with <see cref="ThenMap"/>.</summary>
    public void MapRaw(string method, string pathAndQuery, int status, string body, params (string Name, string Value)[] headers)
    {
        _routes.TryRemove($"{method} {pathAndQuery}", out _);
        Add(method, pathAndQuery, [new Reply(status, headers.Append(("content-type", "application/json")).ToArray(), body, false)]);
    }

    /// <summary>Never answers (until the client gives up), replacing earlier mappings.</summary>
    public void MapHang(string method, string pathAndQuery)
    {
        _routes.TryRemove($"{method} {pathAndQuery}", out _);
        Add(method, pathAndQuery, [new Reply(0, [], string.Empty, true)]);
    }

    /// <summary>Serves the whole recorded discovery: /version, /api, /api/v1, /apis and every recorded group-version.</summary>
    public void MapDiscovery()
    {
        Map("GET", "/version", "001-version");
        Map("GET", "/api", "002-api");
        Map("GET", "/api/v1", "003-api-v1");
        Map("GET", "/apis", "004-apis");
        foreach (var file in Directory.GetFiles(SharedFixtures.Path("kube", "exchanges"), "0*-apis-*.http").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var number = int.Parse(name[..3], System.Globalization.CultureInfo.InvariantCulture);
            if (number is >= 5 and <= 14)
            {
                Map("GET", Exchange.Load(name).RequestPath, name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private void Add(string method, string pathAndQuery, IEnumerable<Reply> replies)
    {
        var queue = _routes.GetOrAdd($"{method} {pathAndQuery}", _ => new Queue<Reply>());
        lock (queue)
        {
            foreach (var reply in replies)
            {
                queue.Enqueue(reply);
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var clientCertificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            target,
            context.Request.ContentType,
            body,
            context.Request.Protocol,
            context.Request.Headers.Authorization.ToString(),
            clientCertificate?.Subject));

        Reply? reply = null;
        if (_routes.TryGetValue($"{context.Request.Method} {target}", out var queue))
        {
            lock (queue)
            {
                reply = queue.Count > 1 ? queue.Dequeue() : queue.Peek();
            }
        }

        if (reply is null)
        {
            // What the real server says for a path it does not serve.
            context.Response.StatusCode = 404;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("404 page not found\n", context.RequestAborted);
            return;
        }

        if (reply.Hang)
        {
            HangReached.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }

    private sealed record Reply(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body, bool Hang);
}

/// <summary>A request the replay server received.</summary>
internal sealed record RecordedRequest(string Method, string Target, string? ContentType, string Body, string Protocol, string Authorization, string? ClientCertificateSubject)
{
    /// <summary>The path without the query string.</summary>
    public string Path => Target.Split('?')[0];
}
