using Ferry.Cli.Local;
using Ferry.Core.Jobs;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;
using Ferry.Functions.Composition;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Local;

/// <summary>Issue 14's metrics, scraped from <c>/metrics</c> of the local host: every sync counted by its result, and 413 webhook answers counted.</summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new();
    private KubeSimulator _cluster = null!;
    private TestGitRepository _repo = null!;
    private LocalHost _host = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "metrics-token", AutoComplete = true });
        _repo = TestGitRepository.Create(new Dictionary<string, string> { ["shop/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: production}\n" });
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        _cluster.WriteKubeconfig(kubeconfig);
        var clusters = _dir.Write("clusters.yaml", $"clusters:\n- name: sim\n  server: {_cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}\n  auth: {{kubeconfig: {{path: {kubeconfig}}}}}\n");
        WriteApp("refused", "shop");
        WriteApp("broken", "missing");
        _host = await LocalHost.StartAsync(new LocalHostOptions
        {
            Settings = new FerrySettings { Apps = Path.Combine(_dir.Path, "apps"), Clusters = clusters, State = Path.Combine(_dir.Path, "state") },
            Port = 0,
            DriftInterval = TimeSpan.FromHours(1),
            ConfigureLogging = _ => { },
        }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _cluster.DisposeAsync();
        _http.Dispose();
        _repo.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Metrics_ForcedSyncsThatFailOrError_CountedByPhase()
    {
        _cluster.FailNext(r => r is { Method: "PATCH", IsDryRun: false } && r.Path.Contains("/configmaps/", StringComparison.Ordinal), 403, "Forbidden");

        var refused = await _host.Runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "refused", Mode = ReconcileMode.ForceSync, WaitForLease = true }, CancellationToken.None);
        var broken = await _host.Runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = "broken", Mode = ReconcileMode.ForceSync, WaitForLease = true }, CancellationToken.None);
        var metrics = await ScrapeAsync();

        Assert.Equal(Core.Status.OperationPhase.Failed, refused.Operation?.Phase);
        Assert.Equal(Core.Status.OperationPhase.Error, broken.Operation?.Phase);
        Assert.Contains("ferry_app_sync_total{name=\"refused\",phase=\"Failed\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("ferry_app_sync_total{name=\"broken\",phase=\"Error\"} 1\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WebhookOverTheSizeLimit_CountedAsA413Request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.BaseAddress, "api/github"))
        {
            Content = new ByteArrayContent(new byte[GitHubWebhookFunction.MaxBodyBytes + 1]),
        };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", "too-large-1");
        int? status = null;
        try
        {
            using var response = await _http.SendAsync(request);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection on the unread rest of the body once it has answered; the answer was counted before that.
        }

        var metrics = await ScrapeAsync();

        Assert.True(status is null or 413, $"status {status}");
        Assert.Contains("ferry_webhook_requests_total{event=\"push\",response_code=\"413\"} 1\n", metrics, StringComparison.Ordinal);
    }

    private Task<string> ScrapeAsync() => _http.GetStringAsync(new Uri(_host.BaseAddress, "metrics"));

    private void WriteApp(string name, string path) => _dir.Write($"apps/{name}.yaml", $$"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: {{name}}}
        spec:
          source: {repoURL: "{{_repo.Url}}", targetRevision: main, path: {{path}}}
          destination: {name: sim, namespace: shop}
          syncPolicy:
            syncOptions: [CreateNamespace=true]
        """);
}
