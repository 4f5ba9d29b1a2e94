using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Tests.Telemetry;

/// <summary>
/// An Application Insights ingestion endpoint on 127.0.0.1 (Kestrel, free port): accepts the SDK's track posts
/// (newline-delimited JSON, gzip or plain), keeps every envelope and the decoded bodies, and answers as the service does.
/// </summary>
internal sealed class IngestionListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _bodies = [];
    private readonly List<string> _paths = [];
    private readonly List<JsonObject> _envelopes = [];

    private IngestionListener(WebApplication app) => _app = app;

    /// <summary>The instrumentation key the connection string carries (a made-up GUID).</summary>
    public string InstrumentationKey { get; } = Guid.NewGuid().ToString();

    /// <summary>The endpoint's base address.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>A connection string pointing the SDK here.</summary>
    public string ConnectionString => $"InstrumentationKey={InstrumentationKey};IngestionEndpoint={Url}";

    /// <summary>Request paths received, in order.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_bodies)
            {
                return [.. _paths];
            }
        }
    }

    /// <summary>Every envelope received, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Envelopes
    {
        get
        {
            lock (_bodies)
            {
                return [.. _envelopes];
            }
        }
    }

    /// <summary>Every decoded request body, joined: what went over the wire, for secret scans.</summary>
    public string AllText
    {
        get
        {
            lock (_bodies)
            {
                return string.Join('\n', _bodies);
            }
        }
    }

    /// <summary>Starts the listener.</summary>
    public static async Task<IngestionListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new IngestionListener(app);
        app.MapPost("/{**path}", (Delegate)listener.ReceiveAsync);
        await app.StartAsync();
        listener.Url = Ferry.Cli.Local.LocalWebApp.BaseAddress(app);
        return listener;
    }

    /// <summary>Waits (up to a generous limit, so a broken SDK fails the test instead of hanging it) until the envelopes satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForAsync(Func<IReadOnlyList<JsonObject>, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!done(Envelopes))
        {
            await Task.Delay(20, limit.Token);
        }

        return Envelopes;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var bytes = buffer.ToArray();
        var gzip = bytes.Length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
        var text = gzip ? Gunzip(bytes) : Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lock (_bodies)
        {
            _paths.Add(context.Request.Path.Value ?? string.Empty);
            _bodies.Add(text);
            foreach (var line in lines)
            {
                _envelopes.Add(JsonNode.Parse(line)!.AsObject());
            }
        }

        return Results.Json(new { itemsReceived = lines.Length, itemsAccepted = lines.Length, errors = Array.Empty<object>() });
    }

    private static string Gunzip(byte[] bytes)
    {
        using var input = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
