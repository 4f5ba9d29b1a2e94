namespace Ferry.Core.Apps;

/// <summary>spec.syncPolicy: automation, sync options and retry.</summary>
public sealed record SyncPolicy
{
    /// <summary>automated; null when syncs are manual.</summary>
    public AutomatedSyncPolicy? Automated { get; init; }

    /// <summary>syncOptions such as <c>CreateNamespace=true</c>, <c>ServerSideApply=true</c>.</summary>
    public IReadOnlyList<string> SyncOptions { get; init; } = [];

    /// <summary>retry; null for no retry.</summary>
    public RetryStrategy? Retry { get; init; }

    /// <summary>True when syncOptions holds <c>name=true</c> (case-insensitive value).</summary>
    public bool HasOption(string name) =>
        SyncOptions.Any(o => o.StartsWith(name + "=", StringComparison.Ordinal) && o[(name.Length + 1)..].Equals("true", StringComparison.OrdinalIgnoreCase));
}
