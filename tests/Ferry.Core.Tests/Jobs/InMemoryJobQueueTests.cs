using Ferry.Core.Jobs;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

public sealed class InMemoryJobQueueTests : JobQueueContractTests
{
    private readonly ManualTimeProvider clock = new();

    protected override Task<IJobQueue> CreateQueueAsync() => Task.FromResult<IJobQueue>(new InMemoryJobQueue(null, clock));

    [Fact]
    public async Task TryReceive_VisibilityTimeoutPassed_RedeliversWithoutAbandon()
    {
        var queue = new InMemoryJobQueue(null, clock);
        await queue.EnqueueAsync(Job("crashy"), Ct);
        var first = await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), Ct);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.Equal(first!.Id, second?.Id);
        Assert.Equal(2, second!.DequeueCount);
        Assert.False(await queue.CompleteAsync(first, Ct));
    }

    [Fact]
    public async Task TryReceive_SixthDeliveryAfterTimeouts_PoisonsInsteadOfDelivering()
    {
        var queue = new InMemoryJobQueue(null, clock);
        await queue.EnqueueAsync(Job("crash-loop"), Ct);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.Equal(attempt, (await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), Ct))?.DequeueCount);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));

        Assert.Equal(0, queue.Count);
        Assert.Equal("crash-loop", Assert.Single(await queue.PeekPoisonedAsync(10, Ct)).Message?.App);
    }

    [Fact]
    public async Task Abandon_WithDelay_VisibleOnceTheDelayPassed()
    {
        var queue = new InMemoryJobQueue(null, clock);
        await queue.EnqueueAsync(Job("backoff"), Ct);
        var job = await queue.TryReceiveAsync(Hidden, Ct);
        await queue.AbandonAsync(job!, TimeSpan.FromSeconds(10), Ct);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(2, (await queue.TryReceiveAsync(Hidden, Ct))?.DequeueCount);
    }

    [Fact]
    public async Task WaitForMessage_HiddenJob_WakesWhenTheClockReachesItsVisibility()
    {
        var queue = new InMemoryJobQueue(null, clock);
        await queue.EnqueueAsync(Job("sleeper"), Ct);
        var job = await queue.TryReceiveAsync(Hidden, Ct);
        await queue.AbandonAsync(job!, TimeSpan.FromMinutes(2), Ct);

        var waiting = queue.WaitForMessageAsync(Hidden, Ct);
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(2));
        var redelivered = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, redelivered.DequeueCount);
    }

    [Fact]
    public async Task TryReceive_ConcurrentConsumers_DeliverEachJobExactlyOnce()
    {
        var queue = new InMemoryJobQueue(null, clock);
        for (var i = 0; i < 200; i++)
        {
            await queue.EnqueueAsync(Job($"app-{i:D3}"), Ct);
        }

        var consumers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var apps = new List<string>();
            while (await queue.TryReceiveAsync(Hidden, Ct) is { } job)
            {
                apps.Add(job.Message.App);
                Assert.True(await queue.CompleteAsync(job, Ct));
            }

            return apps;
        }));
        var received = (await Task.WhenAll(consumers)).SelectMany(a => a).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"app-{i:D3}"), received);
        Assert.Equal(0, queue.Count);
    }
}
