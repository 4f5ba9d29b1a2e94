using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Metrics;
using Ferry.Core.Status;
using Ferry.Core.Webhooks;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Metrics;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Render_AfterEvents_WritesEveryFamilyInExpositionFormat()
    {
        var registry = new MetricsRegistry();
        registry.Reconciled(Event("guestbook", OperationPhase.Succeeded, applied: true, seconds: 0.7));
        registry.Reconciled(Event("guestbook", OperationPhase.Failed, applied: true, seconds: 3));
        registry.Reconciled(Event("guestbook", OperationPhase.Failed, applied: false, seconds: 20, health: HealthStatusCode.Degraded));
        registry.WebhookReceived("d1", new WebhookResponse(202, "queued", ["guestbook"]) { Event = "push" });
        registry.WebhookReceived("d2", new WebhookResponse(401, "bad signature", []) { Event = "push" });
        registry.GitRequest("https://user:secret@github.com/example/guestbook.git", "ls-remote", failed: false);
        registry.KubeRequest("prod", new KubeRequestInfo("PATCH", "deployments", 200, TimeSpan.FromMilliseconds(3), 1));
        registry.KubeRequest("prod", new KubeRequestInfo("PATCH", "deployments", 200, TimeSpan.FromMilliseconds(3), 1));

        var text = PrometheusText.Render(registry);

        Assert.Contains("# TYPE ferry_app_info gauge\nferry_app_info{name=\"guestbook\",dest_server=\"sim \\\"east\\\"\",sync_status=\"OutOfSync\",health_status=\"Degraded\"} 1\n", text);
        Assert.Contains("ferry_app_sync_total{name=\"guestbook\",phase=\"Failed\"} 1\n", text);
        Assert.Contains("ferry_app_sync_total{name=\"guestbook\",phase=\"Succeeded\"} 1\n", text);
        Assert.Contains("ferry_app_reconcile_seconds_bucket{name=\"guestbook\",le=\"0.5\"} 0\n", text);
        Assert.Contains("ferry_app_reconcile_seconds_bucket{name=\"guestbook\",le=\"1\"} 1\n", text);
        Assert.Contains("ferry_app_reconcile_seconds_bucket{name=\"guestbook\",le=\"4\"} 2\n", text);
        Assert.Contains("ferry_app_reconcile_seconds_bucket{name=\"guestbook\",le=\"+Inf\"} 3\n", text);
        Assert.Contains("ferry_app_reconcile_seconds_sum{name=\"guestbook\"} 23.7\n", text);
        Assert.Contains("ferry_app_reconcile_seconds_count{name=\"guestbook\"} 3\n", text);
        Assert.Contains("ferry_git_request_total{repo=\"https://github.com/example/guestbook.git\",request_type=\"ls-remote\",outcome=\"succeeded\"} 1\n", text);
        Assert.Contains("ferry_kube_request_total{server=\"prod\",verb=\"PATCH\",resource_kind=\"deployments\",response_code=\"200\"} 2\n", text);
        Assert.Contains("ferry_webhook_requests_total{event=\"push\",response_code=\"202\"} 1\n", text);
        Assert.Contains("ferry_webhook_requests_total{event=\"push\",response_code=\"401\"} 1\n", text);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^(# (HELP|TYPE) ferry_\w+ .+|ferry_\w+\{[^}]*\} [0-9.e+-]+)$", line));
    }

    [Fact]
    public async Task KubeRequest_FromTheClientsCallback_CountsRequestsAgainstTheSimulator()
    {
        var registry = new MetricsRegistry();
        await using var server = await KubeSimulator.StartAsync(new KubeSimulatorOptions { UseHttps = false });
        using var client = KubeClientFactory.FromToken(server.BaseAddress, "t", null, options: new KubeClientOptions { OnRequest = info => registry.KubeRequest("sim", info) });

        var namespaces = await client.ResolveAsync("v1", "Namespace", CancellationToken.None);
        await client.GetAsync(namespaces, null, "default", CancellationToken.None);
        await client.GetAsync(namespaces, null, "missing", CancellationToken.None);

        var text = PrometheusText.Render(registry);
        Assert.Contains("ferry_kube_request_total{server=\"sim\",verb=\"GET\",resource_kind=\"namespaces\",response_code=\"200\"} 1\n", text);
        Assert.Contains("ferry_kube_request_total{server=\"sim\",verb=\"GET\",resource_kind=\"namespaces\",response_code=\"404\"} 1\n", text);
    }

    private static ReconcileEvent Event(string app, OperationPhase phase, bool applied, double seconds, HealthStatusCode health = HealthStatusCode.Healthy) => new(
        new ReconcileRequest { App = app },
        new AppStatus
        {
            Name = app,
            SyncStatus = phase == OperationPhase.Succeeded ? SyncStatusCode.Synced : SyncStatusCode.OutOfSync,
            Health = health,
            Cluster = "sim \"east\"",
            Operation = new OperationState { Phase = phase, DryRun = !applied },
        },
        applied,
        TimeSpan.FromSeconds(seconds));
}
