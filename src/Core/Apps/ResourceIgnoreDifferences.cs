namespace Ferry.Core.Apps;

/// <summary>One spec.ignoreDifferences entry: which objects, and which of their fields to leave out of the diff.</summary>
public sealed record ResourceIgnoreDifferences
{
    /// <summary>API group ("" for core).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>Kind (required).</summary>
    public required string Kind { get; init; }

    /// <summary>Object name; null for all.</summary>
    public string? Name { get; init; }

    /// <summary>Object namespace; null for all.</summary>
    public string? Namespace { get; init; }

    /// <summary>RFC 6901 JSON pointers to ignore.</summary>
    public IReadOnlyList<string> JsonPointers { get; init; } = [];

    /// <summary>jq path expressions to ignore.</summary>
    public IReadOnlyList<string> JqPathExpressions { get; init; } = [];

    /// <summary>Field managers whose fields are ignored.</summary>
    public IReadOnlyList<string> ManagedFieldsManagers { get; init; } = [];
}
