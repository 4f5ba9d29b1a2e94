using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Ferry.Core.Health;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Status;

[Collection(AzuriteCollection.Name)]
public sealed class BlobStatusStoreTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly LeaseRequests leaseRequests = new();

    private async Task<BlobStatusStore> NewStoreAsync(TimeProvider? time = null, string? container = null)
    {
        var options = new BlobClientOptions();
        options.AddPolicy(leaseRequests, HttpPipelinePosition.PerCall);
        var client = new BlobContainerClient(azurite.ConnectionString, container ?? AzuriteFixture.UniqueName("status"), options);
        var store = new BlobStatusStore(client, time);
        await store.EnsureAsync(Ct);
        return store;
    }

    [Fact]
    public async Task SaveAsync_ThenGetAndList_RoundTripsSortedByName()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(new AppStatus { Name = "web", SyncStatus = SyncStatusCode.Synced, Health = HealthStatusCode.Healthy, Revision = "abc" }, Ct);
        await store.SaveAsync(new AppStatus { Name = "api", SyncStatus = SyncStatusCode.OutOfSync, Health = HealthStatusCode.Degraded }, Ct);

        var web = await store.GetAsync("web", Ct);
        var all = await store.ListAsync(Ct);

        Assert.Equal("abc", web!.Revision);
        Assert.Equal(HealthStatusCode.Healthy, web.Health);
        Assert.Equal(["api", "web"], all.Select(s => s.Name));
        Assert.Null(await store.GetAsync("missing", Ct));
        Assert.Null(await store.ReadAsync("missing", Ct));
    }

    [Fact]
    public async Task TrySaveAsync_VersionStillCurrent_WritesAndReturnsTheNewETag()
    {
        var store = await NewStoreAsync();
        var created = await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "a" }, null, Ct);

        var updated = await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "b" }, created, Ct);

        Assert.NotNull(created);
        Assert.NotNull(updated);
        Assert.NotEqual(created, updated);
        var stored = await store.ReadAsync("web", Ct);
        Assert.Equal(("b", updated), (stored!.Status.Revision, stored.Version));
    }

    [Fact]
    public async Task TrySaveAsync_AnotherWriterWroteSince_WritesNothing()
    {
        var store = await NewStoreAsync();
        var read = await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "old" }, null, Ct);
        await store.SaveAsync(new AppStatus { Name = "web", Revision = "newer" }, Ct);

        var stale = await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "stale" }, read, Ct);

        Assert.Null(stale);
        Assert.Equal("newer", (await store.GetAsync("web", Ct))!.Revision);
    }

    [Fact]
    public async Task TrySaveAsync_ExpectingNoneButOneWasWritten_WritesNothing()
    {
        var store = await NewStoreAsync();
        await store.SaveAsync(new AppStatus { Name = "web", Revision = "first" }, Ct);

        Assert.Null(await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "second" }, null, Ct));
        Assert.Equal("first", (await store.GetAsync("web", Ct))!.Revision);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnother_ReturnsNullUntilReleased()
    {
        var store = await NewStoreAsync();

        var first = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(5), Ct);
        var second = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(5), Ct);
        var other = await store.TryAcquireLeaseAsync("api", TimeSpan.FromMinutes(5), Ct);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.NotNull(other);
        await first!.RenewAsync(Ct);
        await first.DisposeAsync();
        await using var third = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(5), Ct);
        Assert.NotNull(third);
        await other!.DisposeAsync();
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_AnyRequestedDuration_TakesASixtySecondBlobLease()
    {
        var store = await NewStoreAsync();

        // However long the caller asks for, a dead holder's blob lease lapses within a minute: Azure ends it after 60 s unrenewed.
        await using var lease = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(10), Ct);

        Assert.NotNull(lease);
        Assert.Equal(["acquire 60"], leaseRequests.Actions);
    }

    [Fact]
    public async Task Lease_WhileHeld_IsRenewedEveryTwentySecondsOfTheStoresClock()
    {
        var time = new ManualTimeProvider();
        var store = await NewStoreAsync(time);
        var lease = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(1), Ct);
        var renewed = leaseRequests.Next("renew");

        time.Advance(TimeSpan.FromSeconds(19));
        Assert.False(renewed.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await renewed.WaitAsync(TimeSpan.FromSeconds(30));
        await lease!.DisposeAsync();

        // Renewed on the same lease (Azure accepted it), then released so the next holder need not wait.
        Assert.Equal(["acquire 60", "renew", "release"], leaseRequests.Actions);
        await using var next = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Lease_TakenOverAfterBreak_RenewalFailsAndReleaseLeavesTheNewHolder()
    {
        var container = AzuriteFixture.UniqueName("status");
        var time = new ManualTimeProvider();
        var store = await NewStoreAsync(time, container);
        var lease = await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(1), Ct);
        // What Azure does when a lease lapses, done at once: the lock is free for another worker.
        await new BlobContainerClient(azurite.ConnectionString, container).GetBlobClient("leases/web").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);
        var other = await NewStoreAsync(container: container);
        var taken = await other.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(1), Ct);

        await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() => lease!.RenewAsync(Ct));
        await lease!.DisposeAsync();

        Assert.NotNull(taken);
        Assert.Null(await store.TryAcquireLeaseAsync("web", TimeSpan.FromMinutes(1), Ct));
        await taken!.DisposeAsync();
    }

    [Fact]
    public async Task SaveAsync_BadAppName_Throws()
    {
        var store = await NewStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(new AppStatus { Name = "../escape" }, Ct));
    }

    /// <summary>Records the lease requests the store sends (action and duration) and lets a test await the next one of a kind.</summary>
    private sealed class LeaseRequests : HttpPipelineSynchronousPolicy
    {
        private readonly ConcurrentQueue<string> actions = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource> waiters = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Actions => [.. actions];

        public Task Next(string action) => waiters.GetOrAdd(action, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public override void OnReceivedResponse(HttpMessage message)
        {
            if (!message.Request.Headers.TryGetValue("x-ms-lease-action", out var action) || message.Response.IsError)
            {
                return;
            }

            var entry = message.Request.Headers.TryGetValue("x-ms-lease-duration", out var duration) ? $"{action} {duration}" : action;
            actions.Enqueue(entry);
            if (waiters.TryRemove(action, out var waiter))
            {
                waiter.SetResult();
            }
        }
    }
}
