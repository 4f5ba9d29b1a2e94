namespace Ferry.Core.Jobs;

/// <summary>What happened to a job given back after a failed attempt.</summary>
public enum AbandonOutcome
{
    /// <summary>The message becomes visible again after the requested delay.</summary>
    RetryScheduled,

    /// <summary>The message used its last attempt and moved to the poison queue.</summary>
    Poisoned,

    /// <summary>The delivery was no longer ours (completed, or redelivered after its visibility timeout).</summary>
    Lost,
}
