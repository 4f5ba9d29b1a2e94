namespace Ferry.Core.Charts;

/// <summary>Settings of the <see cref="ChartCache"/>.</summary>
public sealed record ChartCacheOptions
{
    /// <summary>Folder holding the unpacked charts (e.g. <c>&lt;state&gt;/charts</c>).</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Credentials and transport per repository.</summary>
    public ChartRepositorySettings Repositories { get; init; } = ChartRepositorySettings.None;

    /// <summary>Upper bound of the cache on disk; least recently used charts not in use are evicted beyond it.</summary>
    public long MaxCacheBytes { get; init; } = 512L << 20;

    /// <summary>Largest index, manifest or chart package accepted, and largest unpacked chart.</summary>
    public long MaxDownloadBytes { get; init; } = 64L << 20;

    /// <summary>Time limit of each request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
