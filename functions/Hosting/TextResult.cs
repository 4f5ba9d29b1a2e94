using System.Text.Json.Nodes;
using Ferry.Core.Status;
using Microsoft.AspNetCore.Http;

namespace Ferry.Functions.Hosting;

/// <summary>An HTTP answer with a text body; the worker's ASP.NET Core integration and the local host both execute it on the response.</summary>
public sealed class TextResult : IResult
{
    private const string JsonContentType = "application/json; charset=utf-8";

    private TextResult(int statusCode, string contentType, string body, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Headers = headers;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The Content-Type header.</summary>
    public string ContentType { get; }

    /// <summary>The body text (UTF-8 on the wire).</summary>
    public string Body { get; }

    /// <summary>Extra response headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>A JSON answer that caches nothing.</summary>
    public static TextResult Json(int statusCode, JsonNode node) =>
        new(statusCode, JsonContentType, node.ToJsonString(StatusJson.Options), [new("Cache-Control", "no-cache")]);

    /// <summary>A JSON error answer: <c>{"error","message","code"}</c>.</summary>
    public static TextResult Error(int statusCode, string error, string message) =>
        Json(statusCode, new JsonObject { ["error"] = error, ["message"] = message, ["code"] = statusCode });

    /// <summary>Any other text answer.</summary>
    public static TextResult Of(int statusCode, string contentType, string body, params KeyValuePair<string, string>[] headers) =>
        new(statusCode, contentType, body, headers);

    /// <inheritdoc/>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        await response.WriteAsync(Body, httpContext.RequestAborted);
    }
}
