using Ferry.Core.Jobs;

namespace Ferry.Core.Tests.Jobs;

/// <summary>The behaviour every <see cref="IJobQueue"/> shares; each implementation's test class derives from this one.</summary>
public abstract class JobQueueContractTests
{
    protected static readonly TimeSpan Hidden = TimeSpan.FromMinutes(5);

    protected static CancellationToken Ct => CancellationToken.None;

    /// <summary>A new, empty queue for one test.</summary>
    protected abstract Task<IJobQueue> CreateQueueAsync();

    protected static JobMessage Job(string app) => new()
    {
        Kind = JobKind.Sync,
        App = app,
        Revision = null,
        Reason = JobReason.Manual,
        DeliveryId = $"delivery-{app}",
        EnqueuedAt = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task TryReceive_Empty_ReturnsNull()
    {
        var queue = await CreateQueueAsync();

        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
    }

    [Fact]
    public async Task Enqueue_ThenReceive_ReturnsTheJobOnFirstDequeue()
    {
        var queue = await CreateQueueAsync();
        var id = await queue.EnqueueAsync(Job("guestbook"), Ct);

        var job = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.NotNull(job);
        Assert.Equal(id, job.Id);
        Assert.Equal(1, job.DequeueCount);
        Assert.Equal(Job("guestbook"), job.Message);
    }

    [Fact]
    public async Task TryReceive_WhileTheFirstDeliveryIsHidden_ReturnsNull()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("a"), Ct);
        Assert.NotNull(await queue.TryReceiveAsync(Hidden, Ct));

        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
    }

    [Fact]
    public async Task TryReceive_SeveralJobs_DeliversInEnqueueOrder()
    {
        var queue = await CreateQueueAsync();
        foreach (var app in (string[])["a", "b", "c"])
        {
            await queue.EnqueueAsync(Job(app), Ct);
        }

        var apps = new List<string>();
        while (await queue.TryReceiveAsync(Hidden, Ct) is { } job)
        {
            apps.Add(job.Message.App);
        }

        Assert.Equal(["a", "b", "c"], apps);
    }

    [Fact]
    public async Task Complete_ReceivedJob_RemovesItForGood()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("done"), Ct);
        var job = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.True(await queue.CompleteAsync(job!, Ct));

        Assert.False(await queue.CompleteAsync(job!, Ct));
        Assert.Equal(AbandonOutcome.Lost, await queue.AbandonAsync(job!, TimeSpan.Zero, Ct));
        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
    }

    [Fact]
    public async Task Abandon_NoDelay_RedeliversWithNextDequeueCount()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("flaky"), Ct);
        var first = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.Equal(AbandonOutcome.RetryScheduled, await queue.AbandonAsync(first!, TimeSpan.Zero, Ct));
        var second = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.Equal(first!.Id, second?.Id);
        Assert.Equal(2, second!.DequeueCount);
        Assert.False(await queue.CompleteAsync(first, Ct));
        Assert.True(await queue.CompleteAsync(second, Ct));
    }

    [Fact]
    public async Task Abandon_WithDelay_KeepsTheJobHidden()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("later"), Ct);
        var job = await queue.TryReceiveAsync(TimeSpan.FromSeconds(1), Ct);

        Assert.Equal(AbandonOutcome.RetryScheduled, await queue.AbandonAsync(job!, Hidden, Ct));

        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
    }

    [Fact]
    public async Task Abandon_FiveFailedAttempts_MovesTheJobToPoison()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("broken"), Ct);

        var outcomes = new List<AbandonOutcome>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var job = await queue.TryReceiveAsync(Hidden, Ct);
            Assert.Equal(attempt, job!.DequeueCount);
            outcomes.Add(await queue.AbandonAsync(job, TimeSpan.Zero, Ct));
        }

        Assert.Equal(5, queue.MaxDequeueCount);
        Assert.Equal([.. Enumerable.Repeat(AbandonOutcome.RetryScheduled, 4), AbandonOutcome.Poisoned], outcomes);
        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
        var poisoned = Assert.Single(await queue.PeekPoisonedAsync(10, Ct));
        Assert.Equal(Job("broken"), poisoned.Message);
        Assert.Null(poisoned.Error);
    }

    [Fact]
    public async Task PeekPoisoned_NothingPoisoned_ReturnsEmpty()
    {
        var queue = await CreateQueueAsync();

        Assert.Empty(await queue.PeekPoisonedAsync(10, Ct));
    }

    [Fact]
    public async Task Renew_RunningJob_StaysHiddenAndOnlyTheNewReceiptCompletes()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("long"), Ct);
        var job = await queue.TryReceiveAsync(TimeSpan.FromSeconds(30), Ct);

        var renewed = await queue.RenewAsync(job!, Hidden, Ct);

        Assert.NotNull(renewed);
        Assert.NotEqual(job!.Receipt, renewed.Receipt);
        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));
        Assert.Equal(AbandonOutcome.Lost, await queue.AbandonAsync(job, TimeSpan.Zero, Ct));
        Assert.True(await queue.CompleteAsync(renewed, Ct));
    }

    [Fact]
    public async Task WaitForMessage_JobEnqueuedLater_ReturnsIt()
    {
        var queue = await CreateQueueAsync();
        var waiting = queue.WaitForMessageAsync(Hidden, Ct);

        await queue.EnqueueAsync(Job("awaited"), Ct);
        var job = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("awaited", job.Message.App);
    }

    [Fact]
    public async Task WaitForMessage_Cancelled_Throws()
    {
        var queue = await CreateQueueAsync();
        using var cancel = new CancellationTokenSource();
        var waiting = queue.WaitForMessageAsync(Hidden, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
