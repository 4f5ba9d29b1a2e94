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
/// the pipeline and the message completes, since retrying cannot fix it. A failure on the last attempt (the dequeue count has reached the
/// queue's <c>maxDequeueCount</c>, after which the host poisons the message) is logged and shown on the app before the function throws.
/// </summary>
internal sealed partial class SyncWorkerFunction(JobProcessor processor, IJobQueue queue, ILogger<SyncWorkerFunction> logger, AppInsightsTelemetry? telemetry = null)
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
            if (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await RecordIfLastAttemptAsync(job, dequeueCount, ex.Message);
            }

            throw;
        }

        LogProcessed(logger, job.Kind.ToString(), job.App, dequeueCount, outcome.Summary);
        if (!outcome.Completed)
        {
            var retry = new JobRetryException(outcome.Summary, outcome.RetryAfter);
            operation?.Fail(retry);
            await RecordIfLastAttemptAsync(job, dequeueCount, outcome.Summary);
            throw retry;
        }

        operation?.Complete(200);
        return outcome;
    }

    /// <summary>On the last attempt the host moves the message to the poison queue once this throws: say so in the log and on the app.</summary>
    private async Task RecordIfLastAttemptAsync(JobMessage job, long dequeueCount, string error)
    {
        if (dequeueCount < queue.MaxDequeueCount)
        {
            return;
        }

        try
        {
            // Not the invocation's token: the record must be written even when the host is stopping the invocation.
            await processor.RecordPoisonedAsync(job, dequeueCount, error, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The store is as unreachable as whatever failed the job; the log line above still says it was poisoned.
            LogRecordFailed(logger, job.App, ex);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not show the poisoned job on app {App}")]
    private static partial void LogRecordFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "discarded a malformed job message: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string reason);
}
