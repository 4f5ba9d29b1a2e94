namespace Ferry.Core.Tests.TestSupport;

/// <summary>A clock that reads as a chosen instant at creation and then runs at real speed; timers are the system's, so waits still end.</summary>
internal sealed class ShiftedTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly TimeSpan offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
