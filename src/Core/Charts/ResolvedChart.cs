namespace Ferry.Core.Charts;

/// <summary>A chart version picked for a source: the exact version, and what identifies its package.</summary>
public sealed record ResolvedChart
{
    /// <summary>The chart version (the source's revision, as Argo CD records it).</summary>
    public required string Version { get; init; }

    /// <summary>The package's digest (<c>sha256:…</c>): the OCI manifest's, or the repository index's; null when the index gives none.</summary>
    public string? Digest { get; init; }

    /// <summary>Where the package is downloaded from: the archive URL (HTTP) or the chart layer's digest (OCI).</summary>
    public required string Package { get; init; }
}
