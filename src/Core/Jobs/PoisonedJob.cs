namespace Ferry.Core.Jobs;

/// <summary>A message moved to the poison queue: after too many failed attempts, or because it could not be read.</summary>
public sealed record PoisonedJob
{
    /// <summary>The message id on the poison queue.</summary>
    public required string Id { get; init; }

    /// <summary>The message text (decoded from base64 when it was base64).</summary>
    public required string Text { get; init; }

    /// <summary>The job, when the text is a valid job message.</summary>
    public JobMessage? Message { get; init; }

    /// <summary>Why the text could not be read as a job message; null when it could.</summary>
    public string? Error { get; init; }
}
