namespace Ferry.Functions.Hosting;

/// <summary>Runs one drift check tick (the DriftCheck timer function): enqueue a refresh job per app.</summary>
public interface IDriftInvocationHandler
{
    /// <summary>Handles one timer occurrence.</summary>
    Task<InvocationResult> HandleAsync(TimerInvocation invocation, CancellationToken cancellationToken);
}
