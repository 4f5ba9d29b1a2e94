using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Status;

public sealed class FileStatusStoreTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly TempDirectory state = new();

    /// <summary>The lease length the pipeline asks for by default.</summary>
    private static TimeSpan DefaultLease => new AppReconcilerOptions().LeaseDuration;

    public void Dispose() => state.Dispose();

    [Fact]
    public async Task TryAcquireLeaseAsync_HolderStoppedRenewing_TakenOverWithinAMinute()
    {
        // Two processes on one state directory; the holder's clock never moves again, as if it was SIGKILLed.
        var start = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var killed = new FileStatusStore(state.Path, new ManualTimeProvider(start));
        var restartedTime = new ManualTimeProvider(start);
        var restarted = new FileStatusStore(state.Path, restartedTime);
        var held = await killed.TryAcquireLeaseAsync("web", DefaultLease, Ct);
        Assert.NotNull(held);

        restartedTime.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(await restarted.TryAcquireLeaseAsync("web", DefaultLease, Ct));
        restartedTime.Advance(TimeSpan.FromSeconds(2));
        await using var taken = await restarted.TryAcquireLeaseAsync("web", DefaultLease, Ct);

        Assert.NotNull(taken);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HolderAliveForElevenMinutes_KeepsItByRenewing()
    {
        var time = new ManualTimeProvider();
        var store = new FileStatusStore(state.Path, time);
        var other = new FileStatusStore(state.Path, time);
        await using var held = await store.TryAcquireLeaseAsync("web", DefaultLease, Ct);

        for (var second = 0; second < 11 * 60; second += 10)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            Assert.Null(await other.TryAcquireLeaseAsync("web", DefaultLease, Ct));
        }

        Assert.NotNull(held);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_ManyTakersAtOnce_ExactlyOneWinsEachRound()
    {
        for (var round = 0; round < 300; round++)
        {
            // A taker that read the lease file between its creation and its first write once saw it expired and took it too.
            using var start = new ManualResetEventSlim();
            var takers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await new FileStatusStore(state.Path).TryAcquireLeaseAsync($"app{round}", DefaultLease, Ct);
            })).ToList();
            start.Set();

            var leases = await Task.WhenAll(takers);

            Assert.Single(leases, l => l is not null);
            await leases.Single(l => l is not null)!.DisposeAsync();
        }
    }

    [Fact]
    public async Task Lease_Disposed_StopsRenewingAndFreesTheApp()
    {
        var time = new ManualTimeProvider();
        var store = new FileStatusStore(state.Path, time);
        var held = await store.TryAcquireLeaseAsync("web", DefaultLease, Ct);

        await held!.DisposeAsync();
        time.Advance(TimeSpan.FromMinutes(2));

        await using var next = await store.TryAcquireLeaseAsync("web", DefaultLease, Ct);
        Assert.NotNull(next);
        Assert.Equal(["web.lease"], Directory.EnumerateFiles(Path.Combine(state.Path, "apps"), "*.lease").Select(Path.GetFileName));
    }

    [Fact]
    public async Task TrySaveAsync_VersionStillCurrent_WritesAndReturnsTheNewVersion()
    {
        var store = new FileStatusStore(state.Path);
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
        var store = new FileStatusStore(state.Path);
        var read = await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "old" }, null, Ct);
        await new FileStatusStore(state.Path).SaveAsync(new AppStatus { Name = "web", Revision = "newer" }, Ct);

        Assert.Null(await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "stale" }, read, Ct));
        Assert.Null(await store.TrySaveAsync(new AppStatus { Name = "web", Revision = "stale" }, null, Ct));
        Assert.Equal("newer", (await store.GetAsync("web", Ct))!.Revision);
    }
}
