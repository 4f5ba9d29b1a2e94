namespace Ferry.Core.Diff;

/// <summary>How objects are compared: ignore rules and Ferry's own field manager.</summary>
public sealed record DiffOptions
{
    /// <summary>The app's ignoreDifferences rules.</summary>
    public IReadOnlyList<IgnoreDifference> IgnoreDifferences { get; init; } = [];

    /// <summary>Ferry's field manager: fields it owns in live but no longer desires count as drift.</summary>
    public string FieldManager { get; init; } = "ferry";
}
