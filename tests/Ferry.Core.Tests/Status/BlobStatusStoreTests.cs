using Ferry.Core.Health;
using Ferry.Core.Status;
using Ferry.Core.Storage;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Status;

[Collection(AzuriteCollection.Name)]
public sealed class BlobStatusStoreTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<BlobStatusStore> NewStoreAsync()
    {
        var store = new BlobStatusStore(new StorageBlobClient(azurite.Connection, AzuriteFixture.UniqueName("status"), azurite.HttpClient));
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
    public async Task SaveAsync_BadAppName_Throws()
    {
        var store = await NewStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(new AppStatus { Name = "../escape" }, Ct));
    }
}
