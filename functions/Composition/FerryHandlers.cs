using System.Text.Json.Nodes;
using Ferry.Core.Jobs;
using Ferry.Core.Webhooks;
using Ferry.Functions.Hosting;
using HostingWebhookResponse = Ferry.Functions.Hosting.WebhookResponse;

namespace Ferry.Functions.Composition;

/// <summary>The three function bodies on top of Core: webhook → jobs, queue message → pipeline, timer → drift check.</summary>
internal sealed class FerryHandlers(GitHubWebhookIntake intake, JobProcessor processor, DriftCheck drift) : IWebhookHandler, IJobInvocationHandler, IDriftInvocationHandler
{
    /// <inheritdoc/>
    public async Task<HostingWebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var response = await intake.HandleAsync(name => request.Headers.GetValueOrDefault(name), request.Body, cancellationToken);
        return new HostingWebhookResponse(response.StatusCode, response.Message) { Apps = response.Queued };
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

        var outcome = await processor.ProcessAsync(job, cancellationToken);
        if (!outcome.Completed)
        {
            // Non-2xx makes the host retry after the visibility timeout, and poison after maxDequeueCount.
            throw new JobRetryException(outcome.Summary, outcome.RetryAfter);
        }

        return new InvocationResult
        {
            Logs = [outcome.Summary],
            ReturnValue = JsonValue.Create(outcome.Status?.SyncStatus.ToString()),
        };
    }

    /// <inheritdoc/>
    public async Task<InvocationResult> HandleAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        var apps = await drift.RunAsync(cancellationToken);
        return new InvocationResult { Logs = [$"queued a refresh for {apps.Count} app(s): {string.Join(", ", apps)}"] };
    }
}
