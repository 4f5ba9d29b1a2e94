using System.Text.Json.Nodes;
using Ferry.Core.Webhooks;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions;

/// <summary>POST <c>/api/github</c>: reads the body byte-exact (the HMAC covers the raw bytes), verifies it, matches apps and enqueues their jobs.</summary>
internal sealed partial class GitHubWebhookFunction(GitHubWebhookIntake intake, ILogger<GitHubWebhookFunction> logger, AppInsightsTelemetry? telemetry = null)
{
    /// <summary>The largest body accepted (GitHub caps deliveries at 25 MiB); larger answers 413 and enqueues nothing.</summary>
    public const long MaxBodyBytes = GitHubWebhookIntake.MaxBodyBytes;

    /// <summary>The function.</summary>
    [Function(FunctionNames.GitHubWebhook)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FunctionRoutes.GitHubWebhook)] HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deliveryId = request.Headers["X-GitHub-Delivery"].ToString();
        var body = request.ContentLength > MaxBodyBytes ? null : await ReadLimitedAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            intake.TooLarge(name => request.Headers.TryGetValue(name, out var values) ? values.ToString() : null);
            LogTooLarge(logger, deliveryId, MaxBodyBytes);
            return TextResult.Error(StatusCodes.Status413PayloadTooLarge, "payload too large", $"webhook bodies over {MaxBodyBytes} bytes are refused");
        }

        // The delivery id is the operation id: the webhook and the syncs it causes correlate in Application Insights.
        using var operation = telemetry?.StartInvocation(FunctionNames.GitHubWebhook, deliveryId);
        WebhookResponse response;
        try
        {
            response = await intake.HandleAsync(name => request.Headers.TryGetValue(name, out var values) ? values.ToString() : null, body, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            operation?.Fail(ex);
            LogFailed(logger, deliveryId, ex);
            return TextResult.Error(StatusCodes.Status500InternalServerError, "internal error", "the webhook could not be handled; GitHub may redeliver it");
        }

        operation?.Complete(response.StatusCode);
        LogAnswered(logger, deliveryId, response.Event ?? request.Headers["X-GitHub-Event"].ToString(), response.StatusCode);
        return TextResult.Json(response.StatusCode, new JsonObject
        {
            ["message"] = response.Message,
            ["apps"] = new JsonArray([.. response.Queued.Order(StringComparer.Ordinal).Select(a => JsonValue.Create(a))]),
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({Event}) answered {StatusCode}")]
    private static partial void LogAnswered(ILogger logger, string? deliveryId, string? @event, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} refused: body over {LimitBytes} bytes")]
    private static partial void LogTooLarge(ILogger logger, string? deliveryId, long limitBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} failed")]
    private static partial void LogFailed(ILogger logger, string? deliveryId, Exception exception);
}
