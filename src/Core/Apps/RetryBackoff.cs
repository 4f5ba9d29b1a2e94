namespace Ferry.Core.Apps;

/// <summary>retry.backoff: first delay, growth factor and cap (Argo's defaults 5 s, 2, 3 min).</summary>
public sealed record RetryBackoff
{
    /// <summary>First delay.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Multiplier per attempt.</summary>
    public double Factor { get; init; } = 2;

    /// <summary>Largest delay.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayFor(int attempt)
    {
        var seconds = Duration.TotalSeconds * Math.Pow(Factor, Math.Max(0, attempt - 1));
        return seconds >= MaxDuration.TotalSeconds ? MaxDuration : TimeSpan.FromSeconds(seconds);
    }
}
