using System.Text.Json.Nodes;
using Ferry.Core.Processes;
using Ferry.Cli.Local;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Local;

/// <summary>The main job end to end: `ferry serve` as a process, a real Git repository under a GitHub URL, the simulated API server, signed webhooks.</summary>
public sealed class ServeEndToEndTests : IAsyncLifetime
{
    private const string RepoUrl = "https://github.com/acme/guestbook";
    private const string Secret = "It's a Secret to Everybody";
    private static readonly ProcessRunner Git = new();

    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp = new();
    private KubeSimulator _cluster = null!;
    private readonly HttpClient _http = new();

    private string Repo => Path.Combine(_temp.Path, "repo");

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "e2e-token", AutoComplete = true });
        _cluster.WriteKubeconfig(Path.Combine(_temp.Path, "kubeconfig"));
        _temp.Write("repo/guestbook/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  version: \"1\"\n");
        _temp.Write("repo/guestbook/deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
            """);
        await GitAsync("init", "-q", "-b", "main");
        await GitAsync("config", "uploadpack.allowAnySHA1InWant", "true");
        await GitAsync("add", "-A");
        await GitAsync("commit", "-q", "-m", "first");
        _temp.Write("gitconfig", $"[url \"file://{Repo}\"]\n\tinsteadOf = {RepoUrl}\n");
        _temp.Write("apps/guestbook.yaml", $"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: guestbook
            spec:
              project: default
              source:
                repoURL: {RepoUrl}
                targetRevision: main
                path: guestbook
              destination:
                server: https://kubernetes.default.svc
                namespace: shop
              syncPolicy:
                automated:
                  prune: true
                  selfHeal: true
                syncOptions:
                - CreateNamespace=true
            """);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Serve_SignedPushWebhook_SyncsTheCommitAndShowsItSyncedAndHealthy()
    {
        await using var serve = await StartServeAsync(driftSeconds: 3600);

        // A delivery with a bad signature is refused and queues nothing.
        var forged = DemoRepository.PushPayload(new string('0', 40), await HeadAsync(), ["guestbook/configmap.yaml"], RepoUrl);
        var (refused, _) = await SendAsync(serve, forged, "wrong secret");
        Assert.Equal(401, refused);

        // A signed push of a new commit is queued and synced.
        _temp.Write("repo/guestbook/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  version: \"2\"\n");
        var before = await HeadAsync();
        await GitAsync("commit", "-q", "-am", "version 2");
        var after = await HeadAsync();
        var (accepted, body) = await SendAsync(serve, DemoRepository.PushPayload(before, after, ["guestbook/configmap.yaml"], RepoUrl), Secret);

        Assert.Equal(202, accepted);
        Assert.Contains("guestbook", body);
        var status = await WaitForAsync(serve, s => (string?)s?["status"]?["sync"]?["revision"] == after && (string?)s?["status"]?["health"]?["status"] == "Healthy");
        Assert.Equal("Synced", (string?)status["status"]!["sync"]!["status"]);
        Assert.Equal("2", (string?)_cluster.GetObject("v1", "ConfigMap", "shop", "settings")!["data"]!["version"]);
        Assert.NotNull(_cluster.GetObject("apps/v1", "Deployment", "shop", "web"));
        Assert.Equal(0, _cluster.Requests.CountWhere(r => r.IsMutating && r.Path.Contains("forged", StringComparison.Ordinal)));

        var page = await _http.GetStringAsync(serve.BaseAddress);
        Assert.Contains("guestbook", page);
        Assert.Contains("Synced", page);
        Assert.Contains("Healthy", page);

        var metrics = await _http.GetStringAsync(new Uri(serve.BaseAddress, "metrics"));
        Assert.Contains("ferry_app_info{", metrics);
        Assert.Contains("sync_status=\"Synced\"", metrics);
        Assert.Contains("ferry_webhook_requests_total{", metrics);
        Assert.Contains("ferry_git_request_total{", metrics);
        Assert.Contains("ferry_kube_request_total{", metrics);
    }

    [Fact]
    public async Task Serve_LiveEdit_IsHealedByTheDriftTimer()
    {
        await using var serve = await StartServeAsync(driftSeconds: 1);
        await WaitForAsync(serve, s => (string?)s?["status"]?["sync"]?["status"] == "Synced");
        Assert.Equal(2, (int)_cluster.GetObject("apps/v1", "Deployment", "shop", "web")!["spec"]!["replicas"]!);

        _cluster.UpdateObject("apps/v1", "Deployment", "shop", "web", d => d["spec"]!["replicas"] = 7);

        await WaitUntilAsync(() => (int?)_cluster.GetObject("apps/v1", "Deployment", "shop", "web")!["spec"]!["replicas"] == 2, serve);
        await WaitForAsync(serve, s => ((JsonArray?)s?["status"]?["history"])?.Count >= 2);
    }

    [Fact]
    public async Task Serve_CtrlC_StopsCleanly()
    {
        var serve = await StartServeAsync(driftSeconds: 3600);
        await using (serve)
        {
            serve.Interrupt();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await serve.WaitForExitAsync(cts.Token);
            Assert.Equal(0, serve.ExitCode);
            Assert.Contains("stopping", serve.Output);
        }
    }

    private Task<ServeProcess> StartServeAsync(int driftSeconds) => ServeProcess.StartAsync(
        [
            "--apps", Path.Combine(_temp.Path, "apps"),
            "--kubeconfig", Path.Combine(_temp.Path, "kubeconfig"),
            "--state", Path.Combine(_temp.Path, "state"),
            "--webhook-secret", Secret,
            "--drift-seconds", driftSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ],
        new Dictionary<string, string> { ["GIT_CONFIG_GLOBAL"] = Path.Combine(_temp.Path, "gitconfig") });

    private async Task<(int Status, string Body)> SendAsync(ServeProcess serve, byte[] payload, string secret) =>
        await DemoRepository.SendWebhookAsync(_http, new Uri(serve.BaseAddress, "api/github"), "push", payload, secret, CancellationToken.None);

    private async Task<JsonNode?> GetAppAsync(ServeProcess serve)
    {
        using var response = await _http.GetAsync(new Uri(serve.BaseAddress, "api/apps/guestbook"));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private async Task<JsonNode> WaitForAsync(ServeProcess serve, Func<JsonNode?, bool> condition)
    {
        JsonNode? last = null;
        await WaitUntilAsync(() =>
        {
            last = GetAppAsync(serve).GetAwaiter().GetResult();
            return condition(last);
        }, serve);
        return last!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ServeProcess serve)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is NullReferenceException or HttpRequestException or InvalidOperationException)
            {
                // Not there yet (an object mid-apply, a status not written yet): look again.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"condition not reached; ferry serve said:\n{serve.Output}");
    }

    private async Task<string> HeadAsync() => (await GitAsync("rev-parse", "HEAD")).Trim();

    private async Task<string> GitAsync(params string[] arguments) =>
        (await Git.RunAsync(new ProcessRequest
        {
            FileName = "git",
            Arguments = arguments,
            WorkingDirectory = Repo,
            Environment = new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.invalid", ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.invalid",
            },
        }, CancellationToken.None)).StandardOutput;
}
