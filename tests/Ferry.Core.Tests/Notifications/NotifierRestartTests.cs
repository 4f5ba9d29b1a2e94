using Ferry.Core.Jobs;
using Ferry.Core.Notifications;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Notifications;

/// <summary>on-deployed and on-health-degraded are sent once, whatever restarts happen between the reconciles (the pipeline over a real store and cluster).</summary>
public sealed class NotifierRestartTests
{
    [Fact]
    public async Task Reconciled_NotifierRestartedOverTheSameStore_DeployedAndDegradedAreSentOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var harness = await PipelineHarness.StartAsync(simulator: new KubeSimulatorOptions { Token = "pipeline-token", AutoComplete = false });
        harness.WriteApplication("guestbook");

        // The sync ends before the Deployment has rolled out: nothing is "deployed" yet.
        await using (var first = Notifier(receiver))
        {
            var synced = await harness.CreateReconciler(first).ReconcileAsync(new ReconcileRequest { App = "guestbook", Mode = ReconcileMode.ForceSync }, CancellationToken.None);
            Assert.Equal(Ferry.Core.Health.HealthStatusCode.Progressing, synced.Status!.Health);
            await first.FlushAsync(CancellationToken.None);
        }

        Assert.Empty(receiver.Received);

        // Restarted: the rollout completes and the next refresh announces the deployment, once.
        harness.Server.CompleteRollout("Deployment", "demo", "web");
        await using (var second = Notifier(receiver))
        {
            var reconciler = harness.CreateReconciler(second);
            await RefreshAsync(reconciler);
            await RefreshAsync(reconciler);
            await second.FlushAsync(CancellationToken.None);
        }

        Assert.Equal(["on-deployed"], receiver.Received.Select(r => (string?)r.Body["trigger"]));

        // Restarted again: the deployment is not announced again; it degrades, which is announced once across another restart.
        harness.Server.FailRollout("demo", "web");
        await using (var third = Notifier(receiver))
        {
            await RefreshAsync(harness.CreateReconciler(third));
            await third.FlushAsync(CancellationToken.None);
        }

        await using (var fourth = Notifier(receiver))
        {
            await RefreshAsync(harness.CreateReconciler(fourth));
            await fourth.FlushAsync(CancellationToken.None);
        }

        Assert.Equal(["on-deployed", "on-health-degraded"], receiver.Received.Select(r => (string?)r.Body["trigger"]));
    }

    private static Notifier Notifier(WebhookReceiver receiver) => new(
        new NotificationSettings
        {
            Webhooks = [new WebhookTarget { Name = "ops", Url = receiver.Url("ops"), Triggers = [NotificationTrigger.Deployed, NotificationTrigger.HealthDegraded] }],
            RetryDelay = TimeSpan.FromMilliseconds(5),
        },
        (_, _) => Task.FromResult<string?>(null));

    private static async Task RefreshAsync(AppReconciler reconciler)
    {
        var outcome = await reconciler.ReconcileAsync(new ReconcileRequest { App = "guestbook", Mode = ReconcileMode.Refresh }, CancellationToken.None);
        Assert.NotNull(outcome.Status);
    }
}
