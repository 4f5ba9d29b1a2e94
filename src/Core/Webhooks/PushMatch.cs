namespace Ferry.Core.Webhooks;

/// <summary>Whether a push concerns an app, and why (for logs; never holds credentials).</summary>
public sealed record PushMatch(bool IsMatch, string Reason)
{
    /// <summary>A match, with the rule that decided it.</summary>
    public static PushMatch Matched(string reason) => new(true, reason);

    /// <summary>No match, with the rule that failed.</summary>
    public static PushMatch NotMatched(string reason) => new(false, reason);
}
