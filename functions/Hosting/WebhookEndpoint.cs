using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Hosting;

/// <summary>POST <c>/api/github</c>: reads the body byte-exact (refusing oversize bodies with 413) and hands it to the webhook handler.</summary>
internal sealed class WebhookEndpoint(IWebhookHandler? handler, long maxBodyBytes, ILogger logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var deliveryId = context.Request.Headers["X-GitHub-Delivery"].ToString();
        if (handler is null)
        {
            FerryWebApp.Log.HandlerMissing(logger, FunctionNames.GitHubWebhook);
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "unavailable", "Ferry has no webhook handler configured; nothing was queued.");
            return;
        }

        if (context.Request.ContentLength > maxBodyBytes)
        {
            FerryWebApp.Log.WebhookTooLarge(logger, deliveryId, maxBodyBytes);
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "payload too large", $"webhook bodies over {maxBodyBytes} bytes are refused");
            return;
        }

        var body = await ReadLimitedAsync(context.Request.Body, maxBodyBytes, cancellationToken);
        if (body is null)
        {
            FerryWebApp.Log.WebhookTooLarge(logger, deliveryId, maxBodyBytes);
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "payload too large", $"webhook bodies over {maxBodyBytes} bytes are refused");
            return;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        WebhookResponse response;
        try
        {
            response = await handler.HandleAsync(new WebhookRequest { Headers = headers, Body = body }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            FerryWebApp.Log.WebhookFailed(logger, deliveryId, e);
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "internal error", "the webhook could not be handled; GitHub may redeliver it");
            return;
        }

        FerryWebApp.Log.WebhookAnswered(logger, deliveryId, headers.GetValueOrDefault("X-GitHub-Event"), response.StatusCode);
        await HttpResponses.WriteJsonAsync(context, response.StatusCode, new JsonObject
        {
            ["message"] = response.Message,
            ["apps"] = new JsonArray([.. response.Apps.Order(StringComparer.Ordinal).Select(a => JsonValue.Create(a))]),
        });
    }

    // Reads at most limit bytes; null when the body is longer (chunked bodies carry no Content-Length).
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
