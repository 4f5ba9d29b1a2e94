namespace Ferry.Functions.Hosting;

/// <summary>Runs one job from the <c>ferry-jobs</c> queue (the SyncWorker function); throwing makes the host retry and, after <c>maxDequeueCount</c>, poison the message.</summary>
public interface IJobInvocationHandler
{
    /// <summary>Handles one dequeued job message.</summary>
    Task<InvocationResult> HandleAsync(QueueInvocation invocation, CancellationToken cancellationToken);
}
