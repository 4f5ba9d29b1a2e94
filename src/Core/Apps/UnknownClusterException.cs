namespace Ferry.Core.Apps;

/// <summary>An application's destination names no cluster of the clusters file.</summary>
public sealed class UnknownClusterException(string destination, IReadOnlyList<string> known)
    : Exception($"destination {destination} is not a known cluster; known clusters: {(known.Count == 0 ? "(none)" : string.Join(", ", known))}")
{
    /// <summary>The destination server or name asked for.</summary>
    public string Destination { get; } = destination;
}
