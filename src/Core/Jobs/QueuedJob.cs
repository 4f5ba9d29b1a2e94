namespace Ferry.Core.Jobs;

/// <summary>One delivery of a job message: hidden from other consumers until completed, abandoned or its visibility timeout passes.</summary>
public sealed record QueuedJob
{
    /// <summary>The queue's id of the message (stable across deliveries).</summary>
    public required string Id { get; init; }

    /// <summary>The opaque receipt of this delivery; completing or abandoning needs it, and a newer delivery invalidates it.</summary>
    public required string Receipt { get; init; }

    /// <summary>How many times the message has been delivered, this delivery included.</summary>
    public required long DequeueCount { get; init; }

    /// <summary>When the message was first put on the queue.</summary>
    public required DateTimeOffset InsertedOn { get; init; }

    /// <summary>The job itself.</summary>
    public required JobMessage Message { get; init; }
}
