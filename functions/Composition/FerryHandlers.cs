using System.Text.Json.Nodes;
using Ferry.Core.Jobs;
using Ferry.Core.Webhooks;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;
using HostingWebhookResponse = Ferry.Functions.Hosting.WebhookResponse;

namespace Ferry.Functions.Composition;

/// <summary>The three function bodies on top of Core: webhook → jobs, queue message → pipeline, timer → drift check.</summary>
internal sealed class FerryHandlers(GitHubWebhookIntake intake, JobProcessor processor, DriftCheck drift, AppInsightsTelemetry? telemetry = null)
    : IWebhookHandler, IJobInvocationHandler, IDriftInvocationHandler
{
    /// <inheritdoc/>
    public async Task<HostingWebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        // The delivery id is the operation id: the webhook and the syncs it causes correlate in Application Insights.
        using var operation = telemetry?.StartInvocation(FunctionNames.GitHubWebhook, request.DeliveryId);
        try
        {
            var response = await intake.HandleAsync(name => request.Headers.GetValueOrDefault(name), request.Body, cancellationToken);
            operation?.Complete(response.StatusCode);
            return new HostingWebhookResponse(response.StatusCode, response.Message) { Apps = response.Queued };
        }
        catch (Exception ex)
        {
            operation?.Fail(ex);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<InvocationResult> HandleAsync(QueueInvocation invocation, CancellationToken cancellationToken)
    {
        JobMessage job;
        try
        {
            job = JobMessage.Parse(invocation.MessageText);
        }
        catch (JobMessageException ex)
        {
            // Retrying cannot repair a malformed message: acknowledge it and say why.
            return new InvocationResult { Logs = [$"discarded malformed job message {invocation.Id}: {ex.Message}"] };
        }

        using var operation = telemetry?.StartJob(FunctionNames.SyncWorker, job);
        ReconcileOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(job, cancellationToken);
        }
        catch (Exception ex)
        {
            operation?.Fail(ex);
            throw;
        }

        if (!outcome.Completed)
        {
            // Non-2xx makes the host retry after the visibility timeout, and poison after maxDequeueCount.
            var retry = new JobRetryException(outcome.Summary, outcome.RetryAfter);
            operation?.Fail(retry);
            throw retry;
        }

        operation?.Complete(200);
        return new InvocationResult
        {
            Logs = [outcome.Summary],
            ReturnValue = JsonValue.Create(outcome.Status?.SyncStatus.ToString()),
        };
    }

    /// <inheritdoc/>
    public async Task<InvocationResult> HandleAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        using var operation = telemetry?.StartInvocation(FunctionNames.DriftCheck, null);
        var apps = await drift.RunAsync(cancellationToken);
        operation?.Complete(200);
        return new InvocationResult { Logs = [$"queued a refresh for {apps.Count} app(s): {string.Join(", ", apps)}"] };
    }
}
