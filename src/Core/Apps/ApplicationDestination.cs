namespace Ferry.Core.Apps;

/// <summary>spec.destination: the cluster (by server URL or by name) and the default namespace.</summary>
public sealed record ApplicationDestination
{
    /// <summary>The cluster's API server URL.</summary>
    public string? Server { get; init; }

    /// <summary>The cluster's name in the clusters file.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace for namespaced objects that set none.</summary>
    public string? Namespace { get; init; }

    /// <summary>A short human form: the server or name, and the namespace.</summary>
    public override string ToString() => $"{Server ?? Name}" + (Namespace is null ? string.Empty : $" namespace {Namespace}");
}
