using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ferry.Simulator;
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

/// <summary>
/// A Kestrel listener on 127.0.0.1:0 (HTTPS, HTTP/2 and HTTP/1.1) in front of a <see cref="KubeSimulator"/> that, by request count,
/// answers some requests 429 or 503 itself and resets others after the simulator has handled them — deterministic, no randomness.
/// </summary>
internal sealed class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "TE", "Trailer", "Proxy-Connection",
    };

    private readonly HttpClient _upstream;
    private readonly Func<long, Fault> _schedule;
    private readonly ConcurrentQueue<(string Method, string Target, Fault Fault, string UserAgent)> _log = new();
    private WebApplication? _app;
    private long _count;

    private FaultInjectingProxy(KubeSimulator simulator, Func<long, Fault> schedule)
    {
        _schedule = schedule;
        _upstream = new HttpClient(simulator.CreateHttpMessageHandler()) { BaseAddress = simulator.BaseAddress };
    }

    /// <summary>What the proxy does with one request.</summary>
    public enum Fault
    {
        /// <summary>Forwarded and answered as the simulator answered.</summary>
        None,

        /// <summary>Answered 429 TooManyRequests with <c>Retry-After: 0</c>, not forwarded.</summary>
        TooManyRequestsRetryNow,

        /// <summary>Answered 429 TooManyRequests with <c>Retry-After: 1</c>, not forwarded.</summary>
        TooManyRequestsRetryInOneSecond,

        /// <summary>Answered 503 ServiceUnavailable without Retry-After (a load balancer's answer), not forwarded.</summary>
        ServiceUnavailable,

        /// <summary>Forwarded (the simulator acts on it), then the connection/stream is reset instead of answering.</summary>
        ResetAfterForwarding,

        /// <summary>Forwarded, then the status, headers and half the body are sent before the connection/stream is reset.</summary>
        ResetMidBody,
    }

    /// <summary>The proxy's base address (https://127.0.0.1:port/).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request with what was done to it, in arrival order.</summary>
    public IReadOnlyList<(string Method, string Target, Fault Fault, string UserAgent)> Requests => _log.ToArray();

    /// <summary>The issue's mix: of every 100 requests, 10 get 429 (Retry-After 0 and 1 alternately), 5 get 503 and 2 are reset (one before, one during the answer).</summary>
    public static Fault IssueMix(long n) => (n % 10, n % 20, n % 100) switch
    {
        (3, _, _) => n % 20 == 3 ? Fault.TooManyRequestsRetryNow : Fault.TooManyRequestsRetryInOneSecond,
        (_, 7, _) => Fault.ServiceUnavailable,
        (_, _, 21) => Fault.ResetAfterForwarding,
        (_, _, 71) => Fault.ResetMidBody,
        _ => Fault.None,
    };

    /// <summary>Starts the proxy; <paramref name="schedule"/> maps the request's ordinal (0-based, arrival order) to its fault.</summary>
    public static async Task<FaultInjectingProxy> StartAsync(KubeSimulator simulator, X509Certificate2 certificate, Func<long, Fault> schedule)
    {
        var proxy = new FaultInjectingProxy(simulator, schedule);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        proxy._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var fault = _schedule(Interlocked.Increment(ref _count) - 1);
        _log.Enqueue((context.Request.Method, target, fault, context.Request.Headers.UserAgent.ToString()));
        switch (fault)
        {
            case Fault.TooManyRequestsRetryNow or Fault.TooManyRequestsRetryInOneSecond:
                await StatusAsync(context, 429, "TooManyRequests", "too many requests, please try again later", fault == Fault.TooManyRequestsRetryNow ? "0" : "1");
                return;
            case Fault.ServiceUnavailable:
                await StatusAsync(context, 503, "ServiceUnavailable", "the server is currently unable to handle the request", null);
                return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target.TrimStart('/'))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0 || context.Request.Method is "POST" or "PUT" or "PATCH")
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            request.Content = new ByteArrayContent(buffer.ToArray());
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopHeaders.Contains(name) || name.StartsWith(':'))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (fault == Fault.ResetAfterForwarding)
        {
            // The simulator has acted on the request; the client never hears about it.
            context.Abort();
            return;
        }

        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers.Append(name, values.ToArray());
            }
        }

        if (fault == Fault.ResetMidBody)
        {
            context.Response.Headers.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task StatusAsync(HttpContext context, int code, string reason, string message, string? retryAfter)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsync(
            $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"{{reason}}","details":{"retryAfterSeconds":{{retryAfter ?? "0"}}},"code":{{code}}}""",
            context.RequestAborted);
    }
}
