using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

/// <summary>Issue 12: a stale job never rolls back, an older job never overwrites a newer record, a comparison never rewrites the operation.</summary>
public sealed class AppReconcilerIntegrityTests : IAsyncLifetime
{
    private const string App = "guestbook";

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Process_WebhookNamingAnOlderCommit_SyncsTheBranchTipInstead()
    {
        _h.WriteApplication(App, automated: true);
        var older = _h.Repo.Head();
        var tip = CommitGreeting("newer");
        await Process(JobKind.Sync, tip);

        // GitHub redelivers the push of the older commit after the newer one was applied.
        var outcome = await Process(JobKind.Sync, older);

        Assert.True(outcome.Completed, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(tip, status.History[^1].Revision);
        Assert.Equal(tip, status.Revision);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.Equal("newer", Greeting());
    }

    [Fact]
    public async Task Process_WebhookNamingACommitThatDoesNotExist_SyncsTheTipAndCompletes()
    {
        _h.WriteApplication(App, automated: true);
        var tip = _h.Repo.Head();

        var outcome = await Process(JobKind.Sync, new string('d', 40));

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Null(outcome.RetryAfter);
        Assert.Equal(tip, (await _h.StatusAsync(App)).History[^1].Revision);
    }

    [Fact]
    public async Task Reconcile_SyncPinnedToAnOlderShaOrRolledBack_StillGoesBack()
    {
        var older = _h.Repo.Head();
        CommitGreeting("newer");
        _h.WriteApplication(App, targetRevision: older);

        var pinned = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.True(pinned.Synced, pinned.Summary);
        Assert.Equal("hello", Greeting());
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        Assert.Equal("newer", Greeting());

        var rollback = await _h.Reconciler.ReconcileAsync(new ReconcileRequest { App = App, Mode = ReconcileMode.ForceSync, Revision = older, Reason = "rollback" }, CancellationToken.None);

        Assert.True(rollback.Synced, rollback.Summary);
        Assert.Equal("hello", Greeting());
    }

    [Fact]
    public async Task Reconcile_UnknownTargetBranch_RecordedOnceAndNotRetried()
    {
        _h.WriteApplication(App, targetRevision: "no-such-branch", automated: true);

        var outcome = await Process(JobKind.Sync, null);

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Null(outcome.RetryAfter);
        var status = await _h.StatusAsync(App);
        Assert.Contains(status.Conditions, c => c.Type == "ComparisonError" && c.Message.Contains("no-such-branch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_PinnedFullShaThatDoesNotExist_RecordedOnceAndNotRetried()
    {
        const string missing = "0123456789abcdef0123456789abcdef01234567";
        _h.WriteApplication(App, targetRevision: missing, automated: true);

        var outcome = await Process(JobKind.Sync, null);

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Null(outcome.RetryAfter);
        var status = await _h.StatusAsync(App);
        var condition = Assert.Single(status.Conditions, c => c.Type == "ComparisonError");
        Assert.Contains($"revision {missing} not found in ", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_AnotherWorkerRecordedANewerResultMeanwhile_DoesNotOverwriteIt()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        var newer = (await _h.StatusAsync(App)) with { Revision = "from-the-newer-worker" };
        // This job's lease lapsed while it ran (a long pause); another worker took the app over and recorded its own result.
        var store = new InterleavingStore(_h.Store) { AfterRead = () => _h.Store.SaveAsync(newer, CancellationToken.None) };
        var stale = new AppReconciler(new DirectoryCatalogProvider(_h.AppsDirectory), _h.Git, _h.Renderer, _h.Clusters, store);

        var outcome = await stale.ReconcileAsync(new ReconcileRequest { App = App, Mode = ReconcileMode.ForceSync }, CancellationToken.None);

        Assert.True(outcome.Completed, outcome.Summary);
        Assert.Contains("newer", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal("from-the-newer-worker", (await _h.StatusAsync(App)).Revision);
    }

    [Theory]
    [InlineData("diff", ReconcileMode.Refresh)]
    [InlineData("sync-dry-run", ReconcileMode.ForceSync)]
    public async Task Reconcile_DryRunComparison_ChangesOnlyTheComparison(string verb, ReconcileMode mode)
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        var before = await _h.StatusAsync(App);
        var next = CommitGreeting("bonjour");

        var outcome = await _h.ReconcileAsync(App, mode, dryRun: true);

        Assert.False(string.IsNullOrEmpty(verb));
        var after = await _h.StatusAsync(App);
        Assert.Equal(Json(before.Operation), Json(after.Operation));
        Assert.Equal(Json(before.History), Json(after.History));
        Assert.Equal(Json(before.Inventory), Json(after.Inventory));
        Assert.Equal(SyncStatusCode.OutOfSync, after.SyncStatus);
        Assert.Equal(next, after.Revision);
        Assert.Contains("bonjour", after.LastDiff, StringComparison.Ordinal);
        Assert.True(outcome.Operation!.DryRun);
        Assert.Equal(next, outcome.Operation.Revision);
    }

    [Fact]
    public async Task Reconcile_DiffAfterARollback_KeepsTheRollbackAsTheLastOperation()
    {
        _h.WriteApplication(App);
        var older = _h.Repo.Head();
        CommitGreeting("newer");
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        await _h.Reconciler.ReconcileAsync(new ReconcileRequest { App = App, Mode = ReconcileMode.ForceSync, Revision = older, Reason = "rollback" }, CancellationToken.None);

        await _h.ReconcileAsync(App, ReconcileMode.Refresh, dryRun: true);
        await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        var status = await _h.StatusAsync(App);
        Assert.Equal(older, status.Operation!.Revision);
        Assert.Equal("rollback", status.Operation.Reason);
        Assert.Equal(older, status.History[^1].Revision);
        Assert.Equal(SyncStatusCode.OutOfSync, status.SyncStatus);
        Assert.Equal("hello", Greeting());
    }

    [Fact]
    public async Task RecordPoisoned_JobGaveUpAfterItsLastAttempt_ShownOnTheApp()
    {
        _h.WriteApplication(App);
        await _h.ReconcileAsync(App, ReconcileMode.ForceSync);
        var job = Job(JobKind.Sync, null) with { DeliveryId = "delivery-7" };

        await new JobProcessor(_h.Reconciler).RecordPoisonedAsync(job, 5, "cluster unreachable", CancellationToken.None);

        var condition = Assert.Single((await _h.StatusAsync(App)).Conditions, c => c.Type == JobProcessor.PoisonedCondition);
        Assert.Contains("delivery-7", condition.Message, StringComparison.Ordinal);
        Assert.Contains("5 attempts", condition.Message, StringComparison.Ordinal);
        Assert.Contains("cluster unreachable", condition.Message, StringComparison.Ordinal);
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, StatusJson.Options);

    private Task<ReconcileOutcome> Process(JobKind kind, string? revision) =>
        new JobProcessor(_h.Reconciler).ProcessAsync(Job(kind, revision), CancellationToken.None);

    private static JobMessage Job(JobKind kind, string? revision) => new()
    {
        Kind = kind,
        App = App,
        Revision = revision,
        Reason = JobReason.Webhook,
        DeliveryId = Guid.NewGuid().ToString("N"),
        EnqueuedAt = DateTimeOffset.UnixEpoch,
    };

    private string CommitGreeting(string greeting) =>
        _h.Repo.Commit(new Dictionary<string, string> { ["guestbook/configmap.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  greeting: {greeting}\n" }, greeting);

    private string? Greeting() => (string?)_h.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["data"]!["greeting"];

    /// <summary>The harness's store, with a hook that runs right after the reconciler reads an app's status.</summary>
    private sealed class InterleavingStore(IStatusStore inner) : IStatusStore
    {
        public Func<Task>? AfterRead { get; init; }

        public Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken) => inner.GetAsync(app, cancellationToken);

        public async Task<StoredStatus?> ReadAsync(string app, CancellationToken cancellationToken)
        {
            var read = await inner.ReadAsync(app, cancellationToken);
            if (AfterRead is { } hook)
            {
                await hook();
            }

            return read;
        }

        public Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public Task SaveAsync(AppStatus status, CancellationToken cancellationToken) => inner.SaveAsync(status, cancellationToken);

        public Task<string?> TrySaveAsync(AppStatus status, string? expectedVersion, CancellationToken cancellationToken) => inner.TrySaveAsync(status, expectedVersion, cancellationToken);

        public Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken) => inner.TryAcquireLeaseAsync(app, duration, cancellationToken);
    }
}
