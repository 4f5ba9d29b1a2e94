using Ferry.Core.Storage;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueClientTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => CancellationToken.None;

    private async Task<StorageQueueClient> NewQueueAsync()
    {
        var queue = new StorageQueueClient(azurite.Connection, AzuriteFixture.UniqueName("q"), azurite.HttpClient);
        Assert.True(await queue.CreateIfNotExistsAsync(Ct));
        return queue;
    }

    [Fact]
    public async Task CreateIfNotExists_Twice_SecondReportsExisting()
    {
        var queue = await NewQueueAsync();

        Assert.False(await queue.CreateIfNotExistsAsync(Ct));
    }

    [Fact]
    public async Task SendMessage_ThenReceive_ReturnsTextAndFirstDequeue()
    {
        var queue = await NewQueueAsync();
        var sent = await queue.SendMessageAsync("hello <world> & \"friends\" ü", null, null, Ct);

        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1), Ct));

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("hello <world> & \"friends\" ü", received.Text);
        Assert.Equal(1, received.DequeueCount);
        Assert.NotNull(received.PopReceipt);
        Assert.True(received.ExpiresOn > received.InsertedOn);
        Assert.True(received.NextVisibleOn > received.InsertedOn);
    }

    [Fact]
    public async Task ReceiveMessages_WhileInvisible_ReturnsNothing()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("a", null, null, Ct);
        Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1), Ct));

        Assert.Empty(await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), Ct));
    }

    [Fact]
    public async Task SendMessage_WithVisibilityTimeout_IsHiddenAtFirst()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("later", TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), Ct);

        Assert.Empty(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1), Ct));
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync(Ct));
    }

    [Fact]
    public async Task SendMessage_InfiniteTimeToLive_NeverExpires()
    {
        var queue = await NewQueueAsync();
        var sent = await queue.SendMessageAsync("forever", null, Timeout.InfiniteTimeSpan, Ct);

        Assert.True(sent.ExpiresOn > sent.InsertedOn!.Value.AddYears(100));
    }

    [Fact]
    public async Task UpdateMessage_VisibleNow_ReappearsWithNextDequeueCount()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("again", null, null, Ct);
        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10), Ct));

        var update = await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt!, TimeSpan.Zero, null, Ct);
        var second = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10), Ct));

        Assert.NotEqual(first.PopReceipt, update.PopReceipt);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal("again", second.Text);
    }

    [Fact]
    public async Task UpdateMessage_NewText_ReplacesContent()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("old", null, null, Ct);
        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10), Ct));

        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt!, TimeSpan.Zero, "new", Ct);

        Assert.Equal("new", Assert.Single(await queue.PeekMessagesAsync(1, Ct)).Text);
    }

    [Fact]
    public async Task UpdateMessage_StaleReceipt_ThrowsWithServiceCode()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("x", null, null, Ct);
        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10), Ct));
        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt!, TimeSpan.FromMinutes(10), null, Ct);

        var error = await Assert.ThrowsAnyAsync<StorageException>(() => queue.UpdateMessageAsync(first.MessageId, first.PopReceipt!, TimeSpan.Zero, null, Ct));

        Assert.Equal(400, error.Status);
        Assert.Equal("PopReceiptMismatch", error.ErrorCode);
        Assert.DoesNotContain(first.PopReceipt!, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeleteMessage_WithReceipt_RemovesIt()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("bye", null, null, Ct);
        var message = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), Ct));

        Assert.True(await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt!, Ct));

        Assert.False(await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt!, Ct));
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync(Ct));
    }

    [Fact]
    public async Task DeleteMessage_StaleReceipt_ReturnsFalseAndKeepsMessage()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("kept", null, null, Ct);
        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10), Ct));
        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt!, TimeSpan.Zero, null, Ct);
        Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10), Ct));

        Assert.False(await queue.DeleteMessageAsync(first.MessageId, first.PopReceipt!, Ct));
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync(Ct));
    }

    [Fact]
    public async Task PeekMessages_DoesNotCountADequeue()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("look", null, null, Ct);

        var peeked = Assert.Single(await queue.PeekMessagesAsync(32, Ct));
        var received = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), Ct));

        Assert.Null(peeked.PopReceipt);
        Assert.Equal(0, peeked.DequeueCount);
        Assert.Equal(1, received.DequeueCount);
    }

    [Fact]
    public async Task ReceiveMessages_Many_ReturnsUpToTheLimitInOrder()
    {
        var queue = await NewQueueAsync();
        for (var i = 0; i < 5; i++)
        {
            await queue.SendMessageAsync($"m{i}", null, null, Ct);
        }

        var batch = await queue.ReceiveMessagesAsync(3, TimeSpan.FromMinutes(1), Ct);

        Assert.Equal(["m0", "m1", "m2"], batch.Select(m => m.Text));
    }

    [Fact]
    public async Task SendMessage_MissingQueue_Throws404WithCode()
    {
        var queue = new StorageQueueClient(azurite.Connection, AzuriteFixture.UniqueName("missing"), azurite.HttpClient);

        var error = await Assert.ThrowsAsync<StorageException>(() => queue.SendMessageAsync("x", null, null, Ct));

        Assert.Equal(404, error.Status);
        Assert.Equal("QueueNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task CreateIfNotExists_WrongAccountKey_Throws403WithoutTheKey()
    {
        var wrongKey = Convert.ToBase64String(Enumerable.Range(1, 64).Select(i => (byte)i).ToArray());
        var connection = azurite.Connection with { SharedKey = new StorageSharedKeyCredential("devstoreaccount1", wrongKey) };
        var queue = new StorageQueueClient(connection, AzuriteFixture.UniqueName("q"), azurite.HttpClient);

        var error = await Assert.ThrowsAsync<StorageException>(() => queue.CreateIfNotExistsAsync(Ct));

        Assert.Equal(403, error.Status);
        Assert.Contains(error.ErrorCode, (string?[])["AuthenticationFailed", "AuthorizationFailure"]);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(StorageConnectionParser.DevelopmentAccountKey, error.ToString(), StringComparison.Ordinal);
    }
}
