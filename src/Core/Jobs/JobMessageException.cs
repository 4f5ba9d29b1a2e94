namespace Ferry.Core.Jobs;

/// <summary>A queue message is not a Ferry job message; names the field at fault (null when the whole text is unreadable).</summary>
public sealed class JobMessageException(string? field, string reason, Exception? inner = null)
    : Exception(field is null ? $"bad job message: {reason}" : $"bad job message: '{field}' {reason}", inner)
{
    /// <summary>The JSON property at fault, or null when the text is not a JSON object at all.</summary>
    public string? Field { get; } = field;

    /// <summary>What was wrong.</summary>
    public string Reason { get; } = reason;
}
