namespace Ferry.Core.Charts;

/// <summary>A chart could not be resolved or pulled; names the repository, the chart and the version asked for, never a credential.</summary>
public sealed class ChartException(string repository, string chart, string version, string reason, Exception? inner = null)
    : Exception($"helm chart '{chart}' version '{version}' from {repository}: {reason}", inner)
{
    /// <summary>The chart repository or registry, as the Application names it.</summary>
    public string Repository { get; } = repository;

    /// <summary>The chart's name.</summary>
    public string Chart { get; } = chart;

    /// <summary>The version or range asked for.</summary>
    public string Version { get; } = version;

    /// <summary>Why, without credentials.</summary>
    public string Reason { get; } = reason;

    /// <summary>The chart or version does not exist, or the request is invalid: retrying cannot help until the repository or the Application changes.</summary>
    public bool Permanent { get; init; }
}
