using System.Globalization;
using System.Text.Json;
using Ferry.Core.Jobs;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions;

/// <summary>
/// The queue trigger on <c>ferry-jobs</c>: runs the pipeline for one job. A transient failure throws, so the host makes the message visible
/// again and retries (after <c>maxDequeueCount</c> attempts it moves it to <c>ferry-jobs-poison</c>); a permanent one is recorded on the app by
/// the pipeline and the message completes, since retrying cannot fix it.
/// </summary>
internal sealed partial class SyncWorkerFunction(JobProcessor processor, ILogger<SyncWorkerFunction> logger, AppInsightsTelemetry? telemetry = null)
{
    /// <summary>The binding data entry the queue trigger sets to the delivery's attempt number.</summary>
    public const string DequeueCountKey = "DequeueCount";

    /// <summary>The function: the host has decoded the message (host.json <c>messageEncoding: base64</c>) to the job's JSON.</summary>
    [Function(FunctionNames.SyncWorker)]
    public async Task RunAsync([QueueTrigger(StorageNames.JobsQueue, Connection = AppSettingNames.Storage)] string message, FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobMessage job;
        try
        {
            job = JobMessage.Parse(message);
        }
        catch (JobMessageException ex)
        {
            // Retrying cannot repair a malformed message: complete it and say why.
            LogMalformed(logger, ex.Message);
            return;
        }

        await ProcessAsync(job, DequeueCount(context.BindingContext.BindingData), cancellationToken);
    }

    /// <summary>Runs one delivery of a job; throws <see cref="JobRetryException"/> (or the pipeline's exception) when it must be retried.</summary>
    public async Task<ReconcileOutcome> ProcessAsync(JobMessage job, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        using var operation = telemetry?.StartJob(FunctionNames.SyncWorker, job);
        ReconcileOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(job, cancellationToken);
        }
        catch (Exception ex)
        {
            operation?.Fail(ex);
            LogFailed(logger, job.Kind.ToString(), job.App, dequeueCount, ex);
            throw;
        }

        LogProcessed(logger, job.Kind.ToString(), job.App, dequeueCount, outcome.Summary);
        if (!outcome.Completed)
        {
            var retry = new JobRetryException(outcome.Summary, outcome.RetryAfter);
            operation?.Fail(retry);
            throw retry;
        }

        operation?.Complete(200);
        return outcome;
    }

    /// <summary>The attempt number from the trigger's binding data (1 when the host sent none).</summary>
    public static long DequeueCount(IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(bindingData);
        var value = bindingData.TryGetValue(DequeueCountKey, out var raw) ? raw : null;
        var text = value switch
        {
            null => null,
            JsonElement { ValueKind: JsonValueKind.Number } number => number.GetRawText(),
            JsonElement { ValueKind: JsonValueKind.String } str => str.GetString(),
            IConvertible convertible => convertible.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : 1;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} job for {App} (attempt {Attempt}): {Summary}")]
    private static partial void LogProcessed(ILogger logger, string kind, string app, long attempt, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job for {App} (attempt {Attempt}) failed; the queue will retry it")]
    private static partial void LogFailed(ILogger logger, string kind, string app, long attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "discarded a malformed job message: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
