namespace Ferry.Core.Apps;

/// <summary>One AppProject destination: server, name and namespace globs (a leading <c>!</c> denies).</summary>
public sealed record ProjectDestination
{
    /// <summary>Server URL glob.</summary>
    public string? Server { get; init; }

    /// <summary>Cluster name glob.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace glob.</summary>
    public string? Namespace { get; init; }
}
