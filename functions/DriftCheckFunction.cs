using Ferry.Core.Jobs;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions;

/// <summary>The timer trigger on <c>FERRY_DRIFT_SCHEDULE</c>: enqueues one refresh job per app, so drift is healed without a push.</summary>
internal sealed partial class DriftCheckFunction(DriftCheck drift, ILogger<DriftCheckFunction> logger, AppInsightsTelemetry? telemetry = null)
{
    /// <summary>The function.</summary>
    [Function(FunctionNames.DriftCheck)]
    public Task RunAsync([TimerTrigger(DriftSchedule.Expression)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return CheckAsync(cancellationToken);
    }

    /// <summary>Enqueues a refresh for every app and returns their names.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        using var operation = telemetry?.StartInvocation(FunctionNames.DriftCheck, null);
        try
        {
            var apps = await drift.RunAsync(cancellationToken);
            operation?.Complete(200);
            LogQueued(logger, apps.Count, string.Join(", ", apps));
            return apps;
        }
        catch (Exception ex)
        {
            operation?.Fail(ex);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "drift check queued a refresh for {Count} app(s): {Apps}")]
    private static partial void LogQueued(ILogger logger, int count, string apps);
}
