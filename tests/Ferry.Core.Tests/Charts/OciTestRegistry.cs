using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ferry.Core.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Ferry.Core.Tests.Charts;

/// <summary>
/// A minimal OCI distribution registry on 127.0.0.1:0, in memory, with the endpoints of the distribution spec that
/// <c>helm push</c> and a pull use: <c>GET /v2/</c>; blobs (<c>HEAD/GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>, uploads by
/// <c>POST …/blobs/uploads/</c> then optional <c>PATCH</c> chunks and <c>PUT …?digest=</c>, or one monolithic <c>POST ?digest=</c>);
/// manifests by tag or digest (<c>PUT/HEAD/GET /v2/&lt;name&gt;/manifests/&lt;reference&gt;</c>); and <c>GET /v2/&lt;name&gt;/tags/list</c>
/// paged with <c>n</c>/<c>last</c> and a <c>Link</c> header. Every <c>/v2/</c> request needs a bearer token from <c>GET /token</c>,
/// which takes basic credentials — the token exchange registries such as Docker Hub and GHCR use.
/// </summary>
internal sealed partial class OciTestRegistry : IAsyncDisposable
{
    public const string User = "pusher";
    public const string Password = "s3cret-registry-password";

    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (byte[] Body, string MediaType)> _manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MemoryStream> _uploads = new(StringComparer.Ordinal);
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private LoopbackHttpServer _server = null!;

    /// <summary>The registry's host and port (<c>127.0.0.1:port</c>).</summary>
    public string Host => $"127.0.0.1:{_server.Port}";

    /// <summary>Tags per page of a tag list when the client names no <c>n</c> (a small page makes clients follow <c>Link</c>).</summary>
    public int DefaultPageSize { get; set; } = 1000;

    /// <summary>Each request: method, path with query, and the Authorization scheme it carried.</summary>
    public ConcurrentQueue<(string Method, string Path, string Auth)> Requests { get; } = new();

    public static async Task<OciTestRegistry> StartAsync()
    {
        var registry = new OciTestRegistry();
        registry._server = await LoopbackHttpServer.StartAsync(registry.HandleAsync);
        return registry;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? string.Empty;
        var authorization = request.Headers.Authorization.ToString();
        Requests.Enqueue((request.Method, path + request.QueryString, authorization.Split(' ')[0]));

        if (path == "/token")
        {
            var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
            if (authorization != basic || string.IsNullOrEmpty(request.Query["service"]) || string.IsNullOrEmpty(request.Query["scope"]))
            {
                response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await response.WriteAsJsonAsync(new { token = _token, expires_in = 300 });
            return;
        }

        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (authorization != $"Bearer {_token}")
        {
            var name = Route().Match(path) is { Success: true } m ? m.Groups["name"].Value : null;
            var scope = name is null ? "registry:catalog:*" : $"repository:{name}:{(request.Method is "GET" or "HEAD" ? "pull" : "pull,push")}";
            response.StatusCode = StatusCodes.Status401Unauthorized;
            response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{Host}/token\",service=\"ferry-test-registry\",scope=\"{scope}\"";
            await WriteErrorAsync(response, "UNAUTHORIZED", "authentication required");
            return;
        }

        if (path == "/v2/")
        {
            await response.WriteAsJsonAsync(new { });
            return;
        }

        var route = Route().Match(path);
        if (!route.Success)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var repo = route.Groups["name"].Value;
        var rest = route.Groups["rest"].Value;
        switch (request.Method, rest)
        {
            case ("GET" or "HEAD", _) when rest.StartsWith("blobs/sha256:", StringComparison.Ordinal):
                await ServeBlobAsync(context, rest["blobs/".Length..]);
                return;
            case ("POST", "blobs/uploads/"):
                await StartUploadAsync(context, repo);
                return;
            case ("PATCH", _) when rest.StartsWith("blobs/uploads/", StringComparison.Ordinal):
                await AppendAsync(context, rest["blobs/uploads/".Length..]);
                response.StatusCode = StatusCodes.Status202Accepted;
                response.Headers.Location = path;
                response.Headers["Range"] = $"0-{_uploads[rest["blobs/uploads/".Length..]].Length - 1}";
                return;
            case ("PUT", _) when rest.StartsWith("blobs/uploads/", StringComparison.Ordinal):
                await FinishUploadAsync(context, repo, rest["blobs/uploads/".Length..]);
                return;
            case ("PUT", _) when rest.StartsWith("manifests/", StringComparison.Ordinal):
                await PutManifestAsync(context, repo, rest["manifests/".Length..]);
                return;
            case ("GET" or "HEAD", _) when rest.StartsWith("manifests/", StringComparison.Ordinal):
                await ServeManifestAsync(context, repo, rest["manifests/".Length..]);
                return;
            case ("GET", "tags/list"):
                await ListTagsAsync(context, repo);
                return;
            default:
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
        }
    }

    private async Task ServeBlobAsync(HttpContext context, string digest)
    {
        if (!_blobs.TryGetValue(digest, out var blob))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteErrorAsync(context.Response, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = blob.Length;
        context.Response.Headers["Docker-Content-Digest"] = digest;
        if (context.Request.Method == "GET")
        {
            await context.Response.Body.WriteAsync(blob);
        }
    }

    private async Task StartUploadAsync(HttpContext context, string repo)
    {
        var id = Guid.NewGuid().ToString("N");
        _uploads[id] = new MemoryStream();
        if (context.Request.Query["digest"] is { Count: > 0 } digest)
        {
            await FinishUploadAsync(context, repo, id, digest.ToString());
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.Headers.Location = $"/v2/{repo}/blobs/uploads/{id}";
        context.Response.Headers["Docker-Upload-UUID"] = id;
        context.Response.Headers["Range"] = "0-0";
    }

    private async Task AppendAsync(HttpContext context, string id)
    {
        if (!_uploads.TryGetValue(id, out var upload))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteErrorAsync(context.Response, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown");
            return;
        }

        await context.Request.Body.CopyToAsync(upload);
    }

    private async Task FinishUploadAsync(HttpContext context, string repo, string id, string? digest = null)
    {
        digest ??= context.Request.Query["digest"].ToString();
        if (!_uploads.TryRemove(id, out var upload))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteErrorAsync(context.Response, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown");
            return;
        }

        await context.Request.Body.CopyToAsync(upload);
        var bytes = upload.ToArray();
        if (Digest(bytes) != digest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WriteErrorAsync(context.Response, "DIGEST_INVALID", "provided digest did not match uploaded content");
            return;
        }

        _blobs[digest] = bytes;
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/v2/{repo}/blobs/{digest}";
        context.Response.Headers["Docker-Content-Digest"] = digest;
    }

    private async Task PutManifestAsync(HttpContext context, string repo, string reference)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        var digest = Digest(bytes);
        using (var json = JsonDocument.Parse(bytes))
        {
            // The spec: every blob a manifest names must be in the registry already.
            var referenced = json.RootElement.GetProperty("layers").EnumerateArray().Append(json.RootElement.GetProperty("config")).Select(d => d.GetProperty("digest").GetString()!);
            if (referenced.Any(d => !_blobs.ContainsKey(d)))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await WriteErrorAsync(context.Response, "MANIFEST_BLOB_UNKNOWN", "manifest references a blob unknown to the registry");
                return;
            }
        }

        _manifests[$"{repo}@{digest}"] = (bytes, context.Request.ContentType ?? "application/vnd.oci.image.manifest.v1+json");
        if (!reference.StartsWith("sha256:", StringComparison.Ordinal))
        {
            _tags[$"{repo}:{reference}"] = digest;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/v2/{repo}/manifests/{digest}";
        context.Response.Headers["Docker-Content-Digest"] = digest;
    }

    private async Task ServeManifestAsync(HttpContext context, string repo, string reference)
    {
        var digest = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : _tags.GetValueOrDefault($"{repo}:{reference}");
        if (digest is null || !_manifests.TryGetValue($"{repo}@{digest}", out var manifest))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteErrorAsync(context.Response, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }

        context.Response.ContentType = manifest.MediaType;
        context.Response.ContentLength = manifest.Body.Length;
        context.Response.Headers["Docker-Content-Digest"] = digest;
        if (context.Request.Method == "GET")
        {
            await context.Response.Body.WriteAsync(manifest.Body);
        }
    }

    private async Task ListTagsAsync(HttpContext context, string repo)
    {
        var all = _tags.Keys.Where(k => k.StartsWith(repo + ":", StringComparison.Ordinal)).Select(k => k[(repo.Length + 1)..]).Order(StringComparer.Ordinal).ToList();
        if (all.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteErrorAsync(context.Response, "NAME_UNKNOWN", "repository name not known to registry");
            return;
        }

        var size = int.TryParse(context.Request.Query["n"], out var n) ? n : DefaultPageSize;
        var last = context.Request.Query["last"].ToString();
        var page = all.Where(t => last.Length == 0 || string.CompareOrdinal(t, last) > 0).Take(size).ToList();
        if (page.Count > 0 && all[^1] != page[^1])
        {
            context.Response.Headers["Link"] = $"</v2/{repo}/tags/list?n={size}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        }

        await context.Response.WriteAsJsonAsync(new { name = repo, tags = page });
    }

    private static Task WriteErrorAsync(HttpResponse response, string code, string message) =>
        response.WriteAsJsonAsync(new { errors = new[] { new { code, message } } });

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    [GeneratedRegex(@"^/v2/(?<name>[a-z0-9]+(?:[._/-][a-z0-9]+)*)/(?<rest>blobs/.*|manifests/.*|tags/list)$")]
    private static partial Regex Route();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
