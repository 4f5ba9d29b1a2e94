using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Webhooks;

public class DeliveryDeduplicatorTests
{
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryRegister_SameIdTwice_TrueThenFalse()
    {
        var dedup = new DeliveryDeduplicator(_time);

        Assert.True(dedup.TryRegister("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
        Assert.False(dedup.TryRegister("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
        Assert.True(dedup.TryRegister("72d3162e-cc78-11e3-81ab-4c9367dc0959"));
    }

    [Fact]
    public void TryRegister_AfterWindow_TrueAgain()
    {
        var dedup = new DeliveryDeduplicator(_time, TimeSpan.FromMinutes(10));
        dedup.TryRegister("a");

        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(dedup.TryRegister("a"));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(dedup.TryRegister("a"));
        Assert.False(dedup.TryRegister("a"));
    }

    [Fact]
    public void TryRegister_ExpiredIds_AreDropped()
    {
        var dedup = new DeliveryDeduplicator(_time, TimeSpan.FromMinutes(10));
        dedup.TryRegister("a");
        dedup.TryRegister("b");

        _time.Advance(TimeSpan.FromMinutes(11));
        dedup.TryRegister("c");

        Assert.Equal(1, dedup.Count);
    }

    [Fact]
    public void TryRegister_OverCapacity_ForgetsOldestFirst()
    {
        var dedup = new DeliveryDeduplicator(_time, capacity: 2);
        dedup.TryRegister("a");
        dedup.TryRegister("b");
        dedup.TryRegister("c");

        Assert.Equal(2, dedup.Count);
        Assert.False(dedup.TryRegister("c"));
        Assert.False(dedup.TryRegister("b"));
        Assert.True(dedup.TryRegister("a"));
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData("empty", "")]
    public void TryRegister_NoId_AlwaysFirstSeenAndNotRemembered(string row, string? id)
    {
        var dedup = new DeliveryDeduplicator(_time);

        Assert.True(dedup.TryRegister(id), row);
        Assert.True(dedup.TryRegister(id), row);
        Assert.Equal(0, dedup.Count);
    }

    [Fact]
    public void TryRegister_Concurrently_EachIdFirstSeenExactlyOnce()
    {
        var dedup = new DeliveryDeduplicator(_time);
        var firsts = 0;

        Parallel.For(0, 4_000, i =>
        {
            if (dedup.TryRegister($"delivery-{i % 400}"))
            {
                Interlocked.Increment(ref firsts);
            }
        });

        Assert.Equal(400, firsts);
        Assert.Equal(400, dedup.Count);
    }
}
