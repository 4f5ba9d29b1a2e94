using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Processes;
using Ferry.Core.Tests.TestSupport;
using Ferry.Cli.Local;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Local;

/// <summary>`ferry handler` as the Functions host runs it: a process on FUNCTIONS_CUSTOMHANDLER_PORT, storage in Azurite, driven with the host's payloads.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomHandlerProcessTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string RepoUrl = "https://github.com/acme/shop";
    private const string Secret = "handler-secret";
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private KubeSimulator _cluster = null!;
    private string _head = string.Empty;

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "handler-token", AutoComplete = true });
        _cluster.WriteKubeconfig(Path.Combine(_temp.Path, "kubeconfig"));
        _temp.Write("repo/shop/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  k: v\n");
        var runner = new ProcessRunner();
        var env = new Dictionary<string, string?> { ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@x.invalid", ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@x.invalid" };
        foreach (var args in new[] { new[] { "init", "-q", "-b", "main" }, ["config", "uploadpack.allowAnySHA1InWant", "true"], ["add", "-A"], ["commit", "-q", "-m", "one"] })
        {
            await runner.RunAsync(new ProcessRequest { FileName = "git", Arguments = args, WorkingDirectory = Path.Combine(_temp.Path, "repo"), Environment = env }, CancellationToken.None);
        }

        _head = (await runner.RunAsync(new ProcessRequest { FileName = "git", Arguments = ["rev-parse", "HEAD"], WorkingDirectory = Path.Combine(_temp.Path, "repo") }, CancellationToken.None)).StandardOutput.Trim();
        _temp.Write("gitconfig", $"[url \"file://{Path.Combine(_temp.Path, "repo")}\"]\n\tinsteadOf = {RepoUrl}\n");
        _temp.Write("apps/shop.yaml", $"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: shop
            spec:
              source:
                repoURL: {RepoUrl}
                path: shop
                targetRevision: main
              destination:
                server: https://kubernetes.default.svc
                namespace: shop
              syncPolicy:
                automated:
                  prune: true
                syncOptions: [CreateNamespace=true]
            """);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Handler_DrivenLikeTheFunctionsHost_WebhookQueuesAndTheQueueInvocationSyncs()
    {
        var queueName = "ferry-jobs";
        await using var handler = await ServeProcess.StartVerbAsync(["handler"], new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "0",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FERRY_APPS"] = Path.Combine(_temp.Path, "apps"),
            ["KUBECONFIG_FILE"] = Path.Combine(_temp.Path, "kubeconfig"),
            ["FERRY_STATE"] = Path.Combine(_temp.Path, "state"),
            ["FERRY_GITHUB_WEBHOOK_SECRET"] = Secret,
            ["GIT_CONFIG_GLOBAL"] = Path.Combine(_temp.Path, "gitconfig"),
        });
        var queue = azurite.Account.Queues.GetQueueClient(queueName);
        await queue.ClearMessagesAsync(CancellationToken.None);

        // Proxied HTTP: the host forwards GitHub's request as it came.
        var (status, _) = await DemoRepository.SendWebhookAsync(_http, new Uri(handler.BaseAddress, "api/github"), "push",
            DemoRepository.PushPayload(new string('0', 40), _head, ["shop/cm.yaml"], RepoUrl), Secret, CancellationToken.None);
        Assert.Equal(202, status);

        // The job is on the real queue, base64 as the host expects; the host would decode it and invoke SyncWorker.
        var messages = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None)).Value;
        var message = Assert.Single(messages);
        var jobJson = Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
        Assert.Contains("\"app\":\"shop\"", jobJson);
        var invocation = new JsonObject
        {
            ["Data"] = new JsonObject { ["job"] = jobJson },
            ["Metadata"] = new JsonObject { ["DequeueCount"] = 1, ["Id"] = message.MessageId, ["sys"] = new JsonObject { ["MethodName"] = "SyncWorker", ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O") } },
        };
        using var response = await _http.PostAsJsonAsync(new Uri(handler.BaseAddress, "SyncWorker"), invocation);
        var envelope = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(response.IsSuccessStatusCode, envelope.ToJsonString());
        Assert.Contains("Synced", envelope["Logs"]!.ToJsonString());
        Assert.NotNull(_cluster.GetObject("v1", "ConfigMap", "shop", "shop"));
        var app = JsonNode.Parse(await _http.GetStringAsync(new Uri(handler.BaseAddress, "api/apps/shop")))!;
        Assert.Equal("Synced", (string?)app["status"]!["sync"]!["status"]);

        // The timer invocation queues one refresh per app.
        var timer = new JsonObject { ["Data"] = new JsonObject { ["timer"] = new JsonObject { ["IsPastDue"] = false } }, ["Metadata"] = new JsonObject() };
        using var tick = await _http.PostAsJsonAsync(new Uri(handler.BaseAddress, "DriftCheck"), timer);
        Assert.True(tick.IsSuccessStatusCode);
        var refresh = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), CancellationToken.None)).Value);
        Assert.Contains("\"kind\":\"refresh\"", Encoding.UTF8.GetString(Convert.FromBase64String(refresh.Body.ToString())));
    }
}
