using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Hosting;

public static partial class FerryWebApp
{
    /// <summary>The custom handler's log messages.</summary>
    internal static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Function} invoked (message {MessageId}, dequeue count {DequeueCount})")]
        public static partial void QueueInvoked(ILogger logger, string function, string? messageId, long dequeueCount);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Function} invoked (past due {IsPastDue})")]
        public static partial void TimerInvoked(ILogger logger, string function, bool isPastDue);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Function} failed; answering 500 so the host retries")]
        public static partial void InvocationFailed(ILogger logger, string function, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Function} received a payload that is not the host's envelope: {Reason}")]
        public static partial void InvocationMalformed(ILogger logger, string function, string reason);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Function} has no handler configured; answering 503")]
        public static partial void HandlerMissing(ILogger logger, string function);

        [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} ({Event}) answered {StatusCode}")]
        public static partial void WebhookAnswered(ILogger logger, string? deliveryId, string? @event, int statusCode);

        [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} refused: body over {LimitBytes} bytes")]
        public static partial void WebhookTooLarge(ILogger logger, string? deliveryId, long limitBytes);

        [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} failed")]
        public static partial void WebhookFailed(ILogger logger, string? deliveryId, Exception exception);
    }
}
