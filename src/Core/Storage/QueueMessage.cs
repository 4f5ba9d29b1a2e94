namespace Ferry.Core.Storage;

/// <summary>A message read from a storage queue (received, or peeked when <see cref="PopReceipt"/> is null).</summary>
public sealed record QueueMessage
{
    /// <summary>The service-assigned message id.</summary>
    public required string MessageId { get; init; }

    /// <summary>The receipt that deletes or updates this delivery; null for a peeked message.</summary>
    public string? PopReceipt { get; init; }

    /// <summary>How many times the message has been received, this delivery included.</summary>
    public required long DequeueCount { get; init; }

    /// <summary>When the message was put on the queue.</summary>
    public required DateTimeOffset InsertedOn { get; init; }

    /// <summary>When the message expires.</summary>
    public required DateTimeOffset ExpiresOn { get; init; }

    /// <summary>When the message becomes visible again; null for a peeked message.</summary>
    public DateTimeOffset? NextVisibleOn { get; init; }

    /// <summary>The message text exactly as stored (Ferry's job queue stores base64).</summary>
    public required string Text { get; init; }
}
