namespace Ferry.Core.Diff;

/// <summary>An <c>ignoreDifferences</c> rule: which objects, and which fields to leave out of the comparison.</summary>
public sealed record IgnoreDifference
{
    /// <summary>API group the rule applies to ("" core; null any).</summary>
    public string? Group { get; init; }

    /// <summary>Kind the rule applies to.</summary>
    public required string Kind { get; init; }

    /// <summary>Object name, or null for all.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace, or null for all.</summary>
    public string? Namespace { get; init; }

    /// <summary>RFC 6901 JSON pointers to ignore.</summary>
    public IReadOnlyList<string> JsonPointers { get; init; } = [];

    /// <summary>Simple jq paths to ignore (<c>.spec.replicas</c>, <c>.spec.template.spec.containers[].image</c>).</summary>
    public IReadOnlyList<string> JqPathExpressions { get; init; } = [];

    /// <summary>Field managers whose fields are ignored.</summary>
    public IReadOnlyList<string> ManagedFieldsManagers { get; init; } = [];
}
