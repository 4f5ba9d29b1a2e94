using System.Text;
using Ferry.Core.Storage;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageBlobClientTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<StorageBlobClient> NewContainerAsync()
    {
        var container = new StorageBlobClient(azurite.Connection, AzuriteFixture.UniqueName("c"), azurite.HttpClient);
        Assert.True(await container.CreateContainerIfNotExistsAsync(Ct));
        return container;
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(BlobContent? blob) => Encoding.UTF8.GetString(Assert.IsType<BlobContent>(blob).Content.Span);

    [Fact]
    public async Task CreateContainerIfNotExists_Twice_SecondReportsExisting()
    {
        var container = await NewContainerAsync();

        Assert.False(await container.CreateContainerIfNotExistsAsync(Ct));
    }

    [Fact]
    public async Task GetBlob_Missing_ReturnsNull()
    {
        var container = await NewContainerAsync();

        Assert.Null(await container.GetBlobAsync("apps/nothing.json", Ct));
    }

    [Fact]
    public async Task UploadBlob_ThenGet_ReturnsContentAndSameETag()
    {
        var container = await NewContainerAsync();

        var etag = await container.UploadBlobAsync("apps/guest book ü.json", Bytes("{\"a\":1}"), null, "application/json", Ct);
        var blob = await container.GetBlobAsync("apps/guest book ü.json", Ct);

        Assert.Equal("{\"a\":1}", Text(blob));
        Assert.Equal(etag, blob!.ETag);
        Assert.Equal("application/json", blob.ContentType);
    }

    [Fact]
    public async Task UploadBlob_Empty_RoundTrips()
    {
        var container = await NewContainerAsync();

        await container.UploadBlobAsync("empty", ReadOnlyMemory<byte>.Empty, null, null, Ct);

        Assert.Equal(string.Empty, Text(await container.GetBlobAsync("empty", Ct)));
    }

    [Fact]
    public async Task UploadBlob_TwoWritersSameETag_StaleWriterGetsPreconditionFailure()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("status.json", Bytes("v1"), BlobConditions.IfNotExists, null, Ct);
        var readByA = await container.GetBlobAsync("status.json", Ct);
        var readByB = await container.GetBlobAsync("status.json", Ct);

        await container.UploadBlobAsync("status.json", Bytes("from A"), BlobConditions.ForETag(readByA!.ETag), null, Ct);
        var error = await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => container.UploadBlobAsync("status.json", Bytes("from B"), BlobConditions.ForETag(readByB!.ETag), null, Ct));

        Assert.Equal(412, error.Status);
        Assert.Equal("ConditionNotMet", error.ErrorCode);
        Assert.Equal("from A", Text(await container.GetBlobAsync("status.json", Ct)));
    }

    [Fact]
    public async Task UploadBlob_IfNotExistsWhenPresent_ThrowsPreconditionFailure()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("once", Bytes("first"), BlobConditions.IfNotExists, null, Ct);

        var error = await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => container.UploadBlobAsync("once", Bytes("second"), BlobConditions.IfNotExists, null, Ct));

        Assert.Contains(error.Status, (int[])[409, 412]);
        Assert.Equal("first", Text(await container.GetBlobAsync("once", Ct)));
    }

    [Fact]
    public async Task DeleteBlob_ExistingThenMissing_TrueThenFalse()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("gone", Bytes("x"), null, null, Ct);

        Assert.True(await container.DeleteBlobAsync("gone", null, Ct));
        Assert.False(await container.DeleteBlobAsync("gone", null, Ct));
        Assert.Null(await container.GetBlobAsync("gone", Ct));
    }

    [Fact]
    public async Task ListBlobsPage_SmallPages_FollowsMarkersThroughEveryBlobWithThePrefix()
    {
        var container = await NewContainerAsync();
        string[] names = ["apps/a", "apps/b", "apps/c", "apps/d", "apps/e", "other/x"];
        foreach (var name in names)
        {
            await container.UploadBlobAsync(name, Bytes(name), null, null, Ct);
        }

        var pages = new List<BlobPage>();
        string? marker = null;
        do
        {
            var page = await container.ListBlobsPageAsync("apps/", marker, 2, Ct);
            pages.Add(page);
            marker = page.NextMarker;
        }
        while (marker is not null);

        Assert.Equal(3, pages.Count);
        Assert.Equal(["apps/a", "apps/b", "apps/c", "apps/d", "apps/e"], pages.SelectMany(p => p.Items).Select(i => i.Name));
        Assert.All(pages.SelectMany(p => p.Items), i => Assert.Equal(6, i.ContentLength));
    }

    [Fact]
    public async Task ListBlobs_AllPages_ReturnsEveryMatch()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("p/1", Bytes("1"), null, null, Ct);
        await container.UploadBlobAsync("p/2", Bytes("2"), null, null, Ct);
        await container.UploadBlobAsync("q/3", Bytes("3"), null, null, Ct);

        var all = await container.ListBlobsAsync(null, Ct);

        Assert.Equal(["p/1", "p/2", "q/3"], all.Select(i => i.Name));
    }

    [Fact]
    public async Task TryAcquireLease_WhileHeld_SecondAcquireFails()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("lock", Bytes(""), null, null, Ct);

        var first = await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(60), null, Ct);
        var second = await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(15), null, Ct);

        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task UploadBlob_LeasedWithoutLeaseId_ThrowsPreconditionFailure()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("leased", Bytes("v1"), null, null, Ct);
        var lease = await container.TryAcquireLeaseAsync("leased", Timeout.InfiniteTimeSpan, null, Ct);

        var error = await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => container.UploadBlobAsync("leased", Bytes("intruder"), null, null, Ct));
        await container.UploadBlobAsync("leased", Bytes("holder"), new BlobConditions { LeaseId = lease!.LeaseId }, null, Ct);

        Assert.Equal("LeaseIdMissing", error.ErrorCode);
        Assert.Equal("holder", Text(await container.GetBlobAsync("leased", Ct)));
    }

    [Fact]
    public async Task UploadBlob_WrongLeaseId_ThrowsPreconditionFailure()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("leased", Bytes("v1"), null, null, Ct);
        await container.TryAcquireLeaseAsync("leased", TimeSpan.FromSeconds(30), null, Ct);

        await Assert.ThrowsAsync<StoragePreconditionFailedException>(
            () => container.UploadBlobAsync("leased", Bytes("x"), new BlobConditions { LeaseId = Guid.NewGuid().ToString() }, null, Ct));
    }

    [Fact]
    public async Task ReleaseLease_ThenAcquire_Succeeds()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("lock", Bytes(""), null, null, Ct);
        var first = await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(60), null, Ct);
        await container.RenewLeaseAsync(first!, Ct);

        await container.ReleaseLeaseAsync(first!, Ct);
        var proposed = Guid.NewGuid().ToString();
        var second = await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(60), proposed, Ct);

        Assert.Equal(proposed, second?.LeaseId);
    }

    [Fact]
    public async Task RenewLease_AfterAnotherHolderTookIt_ThrowsPreconditionFailure()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("lock", Bytes(""), null, null, Ct);
        var first = await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(60), null, Ct);
        await container.ReleaseLeaseAsync(first!, Ct);
        await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(60), null, Ct);

        await Assert.ThrowsAsync<StoragePreconditionFailedException>(() => container.RenewLeaseAsync(first!, Ct));
    }

    [Fact]
    public async Task BreakLease_Immediately_LetsTheNextHolderAcquire()
    {
        var container = await NewContainerAsync();
        await container.UploadBlobAsync("lock", Bytes(""), null, null, Ct);
        await container.TryAcquireLeaseAsync("lock", Timeout.InfiniteTimeSpan, null, Ct);

        var remaining = await container.BreakLeaseAsync("lock", TimeSpan.Zero, Ct);
        var next = await container.TryAcquireLeaseAsync("lock", TimeSpan.FromSeconds(15), null, Ct);

        Assert.Equal(TimeSpan.Zero, remaining);
        Assert.NotNull(next);
    }

    [Theory]
    [InlineData("too-short", 14)]
    [InlineData("too-long", 61)]
    public async Task TryAcquireLease_DurationOutOfRange_Throws(string name, int seconds)
    {
        var container = await NewContainerAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => container.TryAcquireLeaseAsync(name, TimeSpan.FromSeconds(seconds), null, Ct));
    }
}
