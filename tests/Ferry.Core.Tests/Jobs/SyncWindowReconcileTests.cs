using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

/// <summary>Sync windows in the pipeline, on a clock that reads Wednesday 2026-12-02 22:30 UTC: what is refused, what waits, what runs.</summary>
public sealed class SyncWindowReconcileTests : IAsyncLifetime
{
    private const string App = "guestbook";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 22, 30, 0, TimeSpan.Zero);

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync(time: new ShiftedTimeProvider(Now));

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ForceSync_InsideDenyWindow_RefusedNamingTheWindowAndNothingApplied()
    {
        WriteProject("- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['guest*']}");
        _h.WriteApplication(App, project: "web");

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.False(outcome.Synced);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.Null(_h.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
        var status = await _h.StatusAsync(App);
        Assert.Equal(OperationPhase.Failed, status.Operation!.Phase);
        const string message = "sync refused: deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC) is active and does not allow manual sync";
        Assert.Equal(message, status.Operation.Message);
        Assert.Contains(status.Conditions, c => c.Type == AppReconciler.SyncWindowCondition && c.Message == message);
        Assert.Equal(["deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC)"], status.ActiveSyncWindows);
        Assert.Equal(SyncStatusCode.OutOfSync, status.SyncStatus);
        Assert.Empty(status.History);
    }

    [Fact]
    public async Task ForceSync_DenyWindowWithManualSync_Runs()
    {
        WriteProject("- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], manualSync: true}");
        _h.WriteApplication(App, project: "web");

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.ForceSync);

        Assert.True(outcome.Synced, outcome.Summary);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.Synced, status.SyncStatus);
        Assert.DoesNotContain(status.Conditions, c => c.Type == AppReconciler.SyncWindowCondition);
        Assert.Equal(["deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC, manual sync allowed)"], status.ActiveSyncWindows);
    }

    [Fact]
    public async Task Refresh_AutomatedAppInDenyWindow_WaitsWithoutApplying()
    {
        WriteProject("- {kind: deny, schedule: '0 22 * * *', duration: 1h, namespaces: [demo], manualSync: true}");
        _h.WriteApplication(App, project: "web", automated: true, selfHeal: true);

        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.False(outcome.Synced);
        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        var status = await _h.StatusAsync(App);
        Assert.Equal(SyncStatusCode.OutOfSync, status.SyncStatus);
        Assert.Contains(status.Conditions, c => c.Type == AppReconciler.SyncWindowCondition
            && c.Message == "sync blocked: deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC, manual sync allowed) is active");
        Assert.Null(status.FailedAutoSyncRevision);
    }

    [Fact]
    public async Task Refresh_AutomatedAppOutsideEveryAllowWindow_WaitsAndInsideOneSyncs()
    {
        WriteProject("- {kind: allow, schedule: '0 6 * * *', duration: 2h, applications: ['*']}");
        _h.WriteApplication(App, project: "web", automated: true);

        await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.Equal(0, _h.Server.Requests.MutatingCount);
        Assert.StartsWith("sync blocked: outside every allow window", (await _h.StatusAsync(App)).Conditions.Single(c => c.Type == AppReconciler.SyncWindowCondition).Message, StringComparison.Ordinal);

        WriteProject("- {kind: allow, schedule: '0 22 * * *', duration: 2h, applications: ['*']}");
        var outcome = await _h.ReconcileAsync(App, ReconcileMode.Refresh);

        Assert.True(outcome.Synced, outcome.Summary);
        Assert.Equal(SyncStatusCode.Synced, (await _h.StatusAsync(App)).SyncStatus);
    }

    private void WriteProject(string windows) => _h.WriteCatalogFile("project.yaml", $"""
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: web
        spec:
          sourceRepos: ['*']
          destinations: [{"{"}name: '*', server: '*', namespace: '*'{"}"}]
          clusterResourceWhitelist: [{"{"}group: '*', kind: '*'{"}"}]
          syncWindows:
          {windows}
        """);
}
