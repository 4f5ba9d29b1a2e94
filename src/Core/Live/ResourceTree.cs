namespace Ferry.Core.Live;

/// <summary>An app's resource tree: the objects it manages, each with the objects it owns through ownerReferences.</summary>
public sealed record ResourceTree
{
    /// <summary>The app's name.</summary>
    public required string App { get; init; }

    /// <summary>The managed objects, sorted by group, kind, namespace and name.</summary>
    public required IReadOnlyList<ResourceNode> Nodes { get; init; }
}
