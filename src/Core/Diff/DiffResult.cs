namespace Ferry.Core.Diff;

/// <summary>The outcome of comparing one desired object with live: whether it drifted and where.</summary>
public sealed record DiffResult(bool Modified, IReadOnlyList<string> Paths)
{
    /// <summary>No difference.</summary>
    public static DiffResult Same { get; } = new(false, []);
}
