using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

/// <summary>Unknown fields in an Application are never silent: the app's status carries them as warning conditions, as Argo CD shows conditions.</summary>
public sealed class AppReconcilerWarningsTests : IAsyncLifetime
{
    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_ApplicationWithATypo_StatusHasASpecWarningNamingFileLineAndField()
    {
        _h.WriteApplication("guestbook", extraSpec: "  revisionHistoryLimt: 3\n");

        var synced = await _h.ReconcileAsync("guestbook", ReconcileMode.ForceSync);
        var refreshed = await _h.ReconcileAsync("guestbook", ReconcileMode.Refresh);

        Assert.True(synced.Synced, synced.Summary);
        foreach (var status in new[] { synced.Status!, refreshed.Status!, await _h.StatusAsync("guestbook") })
        {
            var warning = Assert.Single(status.Conditions, c => c.Type == AppCondition.SpecWarning);
            Assert.Equal($"{_h.AppsDirectory}/guestbook.yaml:18: spec.revisionHistoryLimt: unknown field (did you mean 'revisionHistoryLimit'?); kept but not used by Ferry", warning.Message);
        }
    }

    [Fact]
    public async Task ReconcileAsync_FailingAppWithATypo_KeepsTheWarningBesideTheError()
    {
        _h.WriteApplication("guestbook", path: "missing", extraSpec: "  revisionHistoryLimt: 3\n");

        var outcome = await _h.ReconcileAsync("guestbook", ReconcileMode.ForceSync);

        Assert.Contains(outcome.Status!.Conditions, c => c.Type == AppCondition.SpecWarning && c.Message.Contains("spec.revisionHistoryLimt", StringComparison.Ordinal));
        Assert.Contains(outcome.Status.Conditions, c => c.Type.EndsWith("Error", StringComparison.Ordinal));
    }
}
