using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Status;
using Microsoft.AspNetCore.Http;

namespace Ferry.Functions.Hosting;

/// <summary>Small writers for the handler's JSON answers.</summary>
internal static class HttpResponses
{
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode node)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(node.ToJsonString(StatusJson.Options), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string error, string message) =>
        WriteJsonAsync(context, statusCode, new JsonObject { ["error"] = error, ["message"] = message, ["code"] = statusCode });

    public static async Task WriteEnvelopeAsync(HttpContext context, int statusCode, InvocationResponse response)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, response, CustomHandlerJson.Options, context.RequestAborted);
    }

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
