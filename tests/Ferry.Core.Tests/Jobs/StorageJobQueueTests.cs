using System.Text;
using Azure.Storage.Queues;
using Ferry.Core.Jobs;
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
        var queue = new StorageJobQueue(azurite.Account.Queues, options);
        await queue.CreateIfNotExistsAsync(Ct);
        return queue;
    }

    /// <summary>The queue as text on the wire, without the SDK's message encoding.</summary>
    private QueueClient Raw(string name) => new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    /// <summary>The queue as the Functions queue extension reads and writes it with host.json's <c>"messageEncoding": "base64"</c>.</summary>
    private QueueClient AsQueueTriggerBindsIt(string name) => new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

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

        var raw = Assert.Single((await Raw(options.QueueName).PeekMessagesAsync(1, Ct)).Value);
        Assert.Equal(Job("wire").ToJson(), Encoding.UTF8.GetString(Convert.FromBase64String(raw.Body.ToString())));
    }

    [Fact]
    public async Task Enqueue_ReadAsTheQueueTriggerBindsIt_IsTheUtf8JsonJob()
    {
        var queue = await CreateQueueAsync();
        var job = Job("trigger") with { DeliveryId = "d-ü-1" };

        await queue.EnqueueAsync(job, Ct);

        var bound = Assert.Single((await AsQueueTriggerBindsIt(options.QueueName).ReceiveMessagesAsync(1, Hidden, Ct)).Value);
        Assert.Equal(job.ToJson(), bound.Body.ToString());
        Assert.Equal(job, JobMessage.Parse(bound.Body.ToString()));
    }

    [Fact]
    public async Task TryReceive_MessageWrittenByAQueueOutputBinding_IsRead()
    {
        var queue = await CreateQueueAsync();
        await AsQueueTriggerBindsIt(options.QueueName).SendMessageAsync(Job("binding").ToJson(), Ct);

        var job = await queue.TryReceiveAsync(Hidden, Ct);

        Assert.Equal("binding", job?.Message.App);
    }

    [Fact]
    public async Task TryReceive_Base64MessageFromAnotherProducer_IsRead()
    {
        var queue = await CreateQueueAsync();
        var json = "{\"v\":1,\"kind\":\"refresh\",\"app\":\"external\",\"revision\":null,\"reason\":\"drift\",\"deliveryId\":\"x\",\"enqueuedAt\":\"2024-05-01T12:00:00Z\"}";
        await Raw(options.QueueName).SendMessageAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)), Ct);

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
        await Raw(options.QueueName).SendMessageAsync(text, Ct);
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

        var raw = Assert.Single((await Raw(options.PoisonQueueName).PeekMessagesAsync(32, Ct)).Value);

        Assert.Equal(StorageJobQueue.Encode(Job("poison-wire")), raw.Body.ToString());
        Assert.Equal(0, (await Raw(options.QueueName).GetPropertiesAsync(Ct)).Value.ApproximateMessagesCount);
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
            var message = Assert.Single((await raw.ReceiveMessagesAsync(1, Hidden, Ct)).Value);
            await raw.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: Ct);
        }

        Assert.Null(await queue.TryReceiveAsync(Hidden, Ct));

        Assert.Equal("crash-loop", Assert.Single(await queue.PeekPoisonedAsync(10, Ct)).Message?.App);
    }
}
