namespace Ferry.Core.Status;

/// <summary>The last sync operation: phase, message, timing and what it did per object, in the order it did it.</summary>
public sealed record OperationState
{
    /// <summary>Running, Succeeded, Failed or Error.</summary>
    public required OperationPhase Phase { get; init; }

    /// <summary>A one-line summary or the error, with file and line where there is one.</summary>
    public string? Message { get; init; }

    /// <summary>The revision the operation targeted.</summary>
    public string? Revision { get; init; }

    /// <summary>Why it ran.</summary>
    public string? Reason { get; init; }

    /// <summary>Start time.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>End time, when finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Whether this was a dry run.</summary>
    public bool DryRun { get; init; }

    /// <summary>Per-object results in execution order.</summary>
    public IReadOnlyList<ResourceStatus> Results { get; init; } = [];

    /// <summary>Milliseconds per stage (resolve, fetch, render, plan, apply, prune, health).</summary>
    public IReadOnlyDictionary<string, double> StageMilliseconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Retry count so far.</summary>
    public int RetryCount { get; init; }
}
