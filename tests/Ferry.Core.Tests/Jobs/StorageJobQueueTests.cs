using System.Text;
using Ferry.Core.Jobs;
using Ferry.Core.Storage;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

[Collection(AzuriteCollection.Name)]
public sealed class StorageJobQueueTests(AzuriteFixture azurite) : JobQueueContractTests
{
    private readonly JobQueueOptions options = UniqueOptions();

    private static JobQueueOptions UniqueOptions()
    {
        var name = AzuriteFixture.UniqueName("jobs");
        return new JobQueueOptions { QueueName = name, PoisonQueueName = name + "-poison" };
    }

    protected override async Task<IJobQueue> CreateQueueAsync()
    {
        var queue = new StorageJobQueue(azurite.Connection, azurite.HttpClient, options);
        await queue.CreateIfNotExistsAsync(Ct);
        return queue;
    }

    private StorageQueueClient Raw(string name) => new(azurite.Connection, name, azurite.HttpClient);

    [Fact]
    public void Options_Default_UseTheDesignQueueNames()
    {
        var defaults = new JobQueueOptions();

        Assert.Equal("ferry-jobs", defaults.QueueName);
        Assert.Equal("ferry-jobs-poison", defaults.PoisonQueueName);
        Assert.Equal(5, defaults.MaxDequeueCount);
    }

    [Fact]
    public async Task Enqueue_OnTheWire_IsBase64OfTheJsonMessage()
    {
        var queue = await CreateQueueAsync();

        await queue.EnqueueAsync(Job("wire"), Ct);

        var raw = Assert.Single(await Raw(options.QueueName).PeekMessagesAsync(1, Ct));
        Assert.Equal(Job("wire").ToJson(), Encoding.UTF8.GetString(Convert.FromBase64String(raw.Text)));
    }

    [Fact]
    public async Task TryReceive_Base64MessageFromAnotherProducer_IsRead()
    {
        var queue = await CreateQueueAsync();
        var json = "{\"v\":1,\"kind\":\"refresh\",\"app\":\"external\",\"revision\":null,\"reason\":\"drift\",\"deliveryId\":\"x\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}";
        await Raw(options.QueueName).SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), null, null, Ct);

        var job = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.Equal(JobKind.Refresh, job?.Message.Kind);
        Assert.Equal("external", job?.Message.App);
    }

    [Theory]
    [InlineData("plain-json", "{\"v\":1}")]
    [InlineData("base64-of-garbage", "bm90IGpzb24=")]
    public async Task TryReceive_UnreadableMessage_PoisonsItAtOnce(string name, string text)
    {
        var queue = await CreateQueueAsync();
        await Raw(options.QueueName).SendMessageAsync(text, null, null, Ct);
        await queue.EnqueueAsync(Job("after"), Ct);

        var job = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal("after", job?.Message.App);
        var poisoned = Assert.Single(await queue.PeekPoisonedAsync(10, Ct));
        Assert.Null(poisoned.Message);
        Assert.StartsWith("bad job message", poisoned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abandon_LastAttempt_PoisonQueueHoldsTheSameBase64Text()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("poison-wire"), Ct);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await queue.AbandonAsync((await queue.TryReceiveAsync(Hidden, Ct))!, TimeSpan.Zero, Ct);
        }

        var raw = Assert.Single(await Raw(options.PoisonQueueName).PeekMessagesAsync(32, Ct));

        Assert.Equal(StorageJobQueue.Encode(Job("poison-wire")), raw.Text);
        Assert.Equal(0, await Raw(options.QueueName).GetApproximateMessageCountAsync(Ct));
    }

    [Fact]
    public async Task TryReceive_MessageAlreadyDeliveredFiveTimes_PoisonsInsteadOfDelivering()
    {
        var queue = await CreateQueueAsync();
        await queue.EnqueueAsync(Job("crash-loop"), Ct);
        var raw = Raw(options.QueueName);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            // A worker that dies mid-job: the message comes back without being abandoned.
            var message = Assert.Single(await raw.ReceiveMessagesAsync(1, Hidden, Ct));
            await raw.UpdateMessageAsync(message.MessageId, message.PopReceipt!, TimeSpan.Zero, null, Ct);
        }

        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));

        Assert.Equal("crash-loop", Assert.Single(await queue.PeekPoisonedAsync(10, Ct)).Message?.App);
    }
}
