namespace Ferry.Functions.Tests.TestSupport;

/// <summary>A clock stopped at one instant, so "3 min ago" on the page is deterministic.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
