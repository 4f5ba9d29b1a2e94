namespace Ferry.Core.Storage;

/// <summary>What the service answers to a put or an update: the receipt for the next operation and the visibility.</summary>
public sealed record QueueMessageReceipt
{
    /// <summary>The message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The receipt valid until the message is next received, updated or deleted.</summary>
    public required string PopReceipt { get; init; }

    /// <summary>When the message becomes visible.</summary>
    public required DateTimeOffset NextVisibleOn { get; init; }

    /// <summary>When the message was put on the queue; null for an update, which does not report it.</summary>
    public DateTimeOffset? InsertedOn { get; init; }

    /// <summary>When the message expires; null for an update, which does not report it.</summary>
    public DateTimeOffset? ExpiresOn { get; init; }
}
