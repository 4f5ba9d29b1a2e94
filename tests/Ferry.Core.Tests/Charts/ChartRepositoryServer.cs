using System.Collections.Concurrent;
using System.Text;
using Ferry.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Ferry.Core.Tests.Charts;

/// <summary>
/// An HTTP Helm chart repository on 127.0.0.1:0: serves <c>index.yaml</c> and the archives of a folder (as a static chart
/// repository does) behind basic authentication, and records every request it answers.
/// </summary>
internal sealed class ChartRepositoryServer : IAsyncDisposable
{
    public const string User = "reader";
    public const string Password = "s3cret-chart-password";

    private readonly LoopbackHttpServer _server;

    private ChartRepositoryServer(LoopbackHttpServer server, string folder)
    {
        _server = server;
        Folder = folder;
    }

    /// <summary>The folder served at <c>/charts/</c>.</summary>
    public string Folder { get; }

    /// <summary>The repository's URL (<c>http://127.0.0.1:port/charts</c>).</summary>
    public string Url => $"http://127.0.0.1:{_server.Port}/charts";

    /// <summary>Each request: method, path and whether it carried the right credentials.</summary>
    public ConcurrentQueue<(string Method, string Path, bool Authorized)> Requests { get; } = new();

    public static async Task<ChartRepositoryServer> StartAsync(string folder)
    {
        ChartRepositoryServer? self = null;
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var server = await LoopbackHttpServer.StartAsync(async context =>
        {
            var authorized = context.Request.Headers.Authorization.ToString() == expected;
            self!.Requests.Enqueue((context.Request.Method, context.Request.Path.Value ?? string.Empty, authorized));
            if (!authorized)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"charts\"";
                return;
            }

            var path = context.Request.Path.Value ?? string.Empty;
            var file = path.StartsWith("/charts/", StringComparison.Ordinal) ? Path.Combine(folder, path["/charts/".Length..]) : null;
            if (context.Request.Method != "GET" || file is null || path.Contains("..", StringComparison.Ordinal) || !File.Exists(file))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = file.EndsWith(".yaml", StringComparison.Ordinal) ? "application/x-yaml" : "application/gzip";
            await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(file));
        });
        self = new ChartRepositoryServer(server, folder);
        return self;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
