using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Hosting;

/// <summary>The host's invocations of the non-HTTP functions: parse the envelope, call the handler, answer the response envelope.</summary>
internal sealed class InvocationEndpoints(IJobInvocationHandler? jobHandler, IDriftInvocationHandler? driftHandler, ILogger logger)
{
    public Task SyncWorkerAsync(HttpContext context) =>
        InvokeAsync(context, FunctionNames.SyncWorker, jobHandler is null ? null : async (request, cancellationToken) =>
        {
            var invocation = QueueInvocation.FromRequest(request, FunctionNames.JobBinding);
            FerryWebApp.Log.QueueInvoked(logger, FunctionNames.SyncWorker, invocation.Id, invocation.DequeueCount);
            return await jobHandler.HandleAsync(invocation, cancellationToken);
        });

    public Task DriftCheckAsync(HttpContext context) =>
        InvokeAsync(context, FunctionNames.DriftCheck, driftHandler is null ? null : async (request, cancellationToken) =>
        {
            var invocation = TimerInvocation.FromRequest(request, FunctionNames.TimerBinding);
            FerryWebApp.Log.TimerInvoked(logger, FunctionNames.DriftCheck, invocation.IsPastDue);
            return await driftHandler.HandleAsync(invocation, cancellationToken);
        });

    private async Task InvokeAsync(HttpContext context, string function, Func<InvocationRequest, CancellationToken, Task<InvocationResult>>? handle)
    {
        var cancellationToken = context.RequestAborted;
        if (handle is null)
        {
            FerryWebApp.Log.HandlerMissing(logger, function);
            await HttpResponses.WriteEnvelopeAsync(context, StatusCodes.Status503ServiceUnavailable, new InvocationResponse
            {
                Logs = [$"Ferry: no handler is configured for {function}; the invocation failed and the host will retry it."],
            });
            return;
        }

        var started = Stopwatch.GetTimestamp();
        InvocationRequest request;
        try
        {
            request = InvocationRequest.Parse(await HttpResponses.ReadBodyAsync(context.Request, cancellationToken));
            var result = await handle(request, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            await HttpResponses.WriteEnvelopeAsync(context, StatusCodes.Status200OK, new InvocationResponse
            {
                Outputs = result.Outputs,
                Logs = [.. result.Logs, $"{function} finished in {elapsed.TotalMilliseconds:0} ms"],
                ReturnValue = result.ReturnValue,
            });
        }
        catch (InvocationFormatException e)
        {
            FerryWebApp.Log.InvocationMalformed(logger, function, e.Message);
            await HttpResponses.WriteEnvelopeAsync(context, StatusCodes.Status400BadRequest, new InvocationResponse
            {
                Logs = [$"{function}: {e.Message}"],
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host gave up on this invocation (timeout or shutdown); there is nobody to answer.
        }
        catch (Exception e)
        {
            // Any failure is a non-2xx answer: the host retries and after maxDequeueCount poisons the message.
            FerryWebApp.Log.InvocationFailed(logger, function, e);
            await HttpResponses.WriteEnvelopeAsync(context, StatusCodes.Status500InternalServerError, new InvocationResponse
            {
                Logs = [$"{function} failed: {e.GetType().Name}: {e.Message}"],
            });
        }
    }
}
