namespace Ferry.Core.Charts;

/// <summary>An unpacked chart in the cache, kept from eviction until disposed.</summary>
public sealed class ChartCheckout : IDisposable
{
    private Action? release;

    internal ChartCheckout(string path, ResolvedChart chart, Action release)
    {
        Path = path;
        Chart = chart;
        this.release = release;
    }

    /// <summary>The chart's folder (holding <c>Chart.yaml</c>); read-only by convention.</summary>
    public string Path { get; }

    /// <summary>The version and digest it was pulled at.</summary>
    public ResolvedChart Chart { get; }

    /// <summary>Lets the cache evict the chart again.</summary>
    public void Dispose() => Interlocked.Exchange(ref release, null)?.Invoke();
}
