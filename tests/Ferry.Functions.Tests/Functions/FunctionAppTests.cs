using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Ferry.Core.Jobs;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;
using Ferry.Simulator;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ferry.Functions.Tests.Functions;

/// <summary>
/// The function classes resolved through the isolated worker's own host and DI, over a real queue and real blobs in Azurite, a real
/// Git repository and the in-process API server: what the Functions host would invoke, minus the host.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FunctionAppTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string RepoUrl = "https://github.com/acme/shop";
    private const string Secret = "function-app-secret";
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp = new();
    private TestGitRepository _repo = null!;
    private KubeSimulator _cluster = null!;
    private FerryComposition _composition = null!;
    private IHost _host = null!;
    private QueueClient _queue = null!;
    private FerryStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "function-app-token", AutoComplete = true });
        _cluster.WriteKubeconfig(Path.Combine(_temp.Path, "kubeconfig"));
        _repo = TestGitRepository.Create(new Dictionary<string, string>
        {
            ["shop/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  k: v\n",
        });
        _temp.Write("apps/apps.yaml", string.Join("---\n", App("fa-shop", RepoUrl, "shop"), App("fa-broken", RepoUrl, "shop", "name: nowhere"), App("fa-offline", "https://github.com/acme/offline", "shop")));
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [AppSettingNames.Storage] = azurite.ConnectionString,
            [AppSettingNames.Apps] = Path.Combine(_temp.Path, "apps"),
            [AppSettingNames.KubeconfigFile] = Path.Combine(_temp.Path, "kubeconfig"),
            [AppSettingNames.State] = Path.Combine(_temp.Path, "state"),
            [AppSettingNames.GitHubWebhookSecret] = Secret,
            [AppSettingNames.DriftSchedule] = DriftSchedule.Default,
        };

        // The worker's storage path; the settings' Git config maps the apps' GitHub URLs to the local repository (and a missing one).
        _queue = new QueueClient(azurite.ConnectionString, StorageNames.JobsQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await _queue.CreateIfNotExistsAsync();
        await _queue.ClearMessagesAsync();
        _storage = await FerryStorage.FromSettingsAsync(settings, CancellationToken.None);
        _composition = await FerryComposition.CreateAsync(new FerryCompositionOptions
        {
            Settings = FerrySettings.FromEnvironment(name => settings.GetValueOrDefault(name)) with
            {
                GitConfig = [new($"url.{_repo.Url}.insteadOf", RepoUrl), new($"url.{new Uri(Path.Combine(_temp.Path, "missing")).AbsoluteUri}.insteadOf", "https://github.com/acme/offline")],
            },
            Queue = _storage.Queue,
            Store = _storage.Store,
        }, CancellationToken.None);
        _host = FerryFunctionApp.Build([], _composition, settings);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _composition.DisposeAsync();
        await _cluster.DisposeAsync();
        _repo.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task GitHubWebhook_SignedPush_PutsABase64JobOnTheRealQueue_ThatSyncWorkerBindsAndApplies()
    {
        var body = PushBody(_repo.Head());
        var context = Request(body, Sign(body));

        var result = await Function<GitHubWebhookFunction>().RunAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status202Accepted, context.Response.StatusCode);
        var raw = (await new QueueClient(azurite.ConnectionString, StorageNames.JobsQueue).PeekMessageAsync()).Value;

        // The Queues extension with messageEncoding base64 decodes the body exactly so, and binds the text to the trigger's string.
        var messages = (await _queue.ReceiveMessagesAsync(32)).Value;
        Assert.Contains(messages, m => m.MessageId == raw.MessageId && m.Body.ToString() == Encoding.UTF8.GetString(Convert.FromBase64String(raw.MessageText)));
        var jobs = messages.Select(m => JobMessage.Parse(m.Body.ToString())).ToList();
        Assert.Equal(["fa-broken", "fa-shop"], jobs.Select(j => j.App).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal((JobKind.Sync, JobReason.Webhook, _repo.Head()), (j.Kind, j.Reason, j.Revision)));
        var message = messages.Single(m => JobMessage.Parse(m.Body.ToString()).App == "fa-shop");

        await Function<SyncWorkerFunction>().RunAsync(message.Body.ToString(), Invocation(message.DequeueCount), CancellationToken.None);

        Assert.NotNull(_cluster.GetObject("v1", "ConfigMap", "fa-shop", "shop"));
        var status = await Status("fa-shop");
        Assert.Equal("Synced", (string?)status["status"]!["sync"]!["status"]);
        Assert.Equal(_repo.Head(), (string?)status["status"]!["sync"]!["revision"]);

        // The spec is what the app asks for (its branch and namespace); the resolved SHA is the status's.
        Assert.Equal("main", (string?)status["spec"]!["source"]!["targetRevision"]);
        Assert.Equal(RepoUrl, (string?)status["spec"]!["source"]!["repoURL"]);
        Assert.Equal("fa-shop", (string?)status["spec"]!["destination"]!["namespace"]);
        Assert.Equal("https://kubernetes.default.svc", (string?)status["spec"]!["destination"]!["server"]);
    }

    [Fact]
    public async Task GitHubWebhook_ForgedSignature_Answers401AndEnqueuesNothing()
    {
        var body = PushBody(_repo.Head());
        var context = Request(body, Sign(Encoding.UTF8.GetBytes("something else")));

        var result = await Function<GitHubWebhookFunction>().RunAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task SyncWorker_TransientFailure_Throws_SoTheHostRetriesIt()
    {
        var job = Job("fa-offline");

        await Assert.ThrowsAsync<JobRetryException>(() => Function<SyncWorkerFunction>().RunAsync(job.ToJson(), Invocation(2), CancellationToken.None));

        var status = await Status("fa-offline");
        Assert.Contains(status["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "ComparisonError");
    }

    [Fact]
    public async Task SyncWorker_TransientFailureOnEveryAttempt_LastAttemptShowsThePoisonedJobOnTheApp()
    {
        var revision = _repo.Head();
        var job = Job("fa-offline") with { Reason = JobReason.Webhook, Revision = revision, DeliveryId = "delivery-poison" };
        var attempts = StorageNames.QueueOptions.MaxDequeueCount;

        for (var attempt = 1; attempt < attempts; attempt++)
        {
            await Assert.ThrowsAsync<JobRetryException>(() => Function<SyncWorkerFunction>().RunAsync(job.ToJson(), Invocation(attempt), CancellationToken.None));
            Assert.DoesNotContain((await Status("fa-offline"))["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == JobProcessor.PoisonedCondition);
        }

        // The last attempt: the host moves the message to ferry-jobs-poison once the function throws.
        await Assert.ThrowsAsync<JobRetryException>(() => Function<SyncWorkerFunction>().RunAsync(job.ToJson(), Invocation(attempts), CancellationToken.None));

        var status = await Status("fa-offline");
        var poisoned = Assert.Single(status["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == JobProcessor.PoisonedCondition)!;
        var message = (string?)poisoned["message"];
        Assert.Contains("delivery-poison", message, StringComparison.Ordinal);
        Assert.Contains("reason webhook", message, StringComparison.Ordinal);
        Assert.Contains($"revision {revision}", message, StringComparison.Ordinal);
        Assert.Contains($"after {attempts} attempts", message, StringComparison.Ordinal);
        Assert.Contains("https://github.com/acme/offline", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWorker_PermanentFailure_IsRecordedOnTheApp_AndCompletes()
    {
        var job = Job("fa-broken");

        await Function<SyncWorkerFunction>().RunAsync(job.ToJson(), Invocation(1), CancellationToken.None);

        var status = await Status("fa-broken");
        var condition = Assert.Single(status["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "InvalidSpecError")!;
        Assert.Contains("nowhere", (string?)condition["message"], StringComparison.Ordinal);
        Assert.Null(_cluster.GetObject("v1", "ConfigMap", "fa-broken", "shop"));
    }

    [Theory]
    [InlineData("one app's folder", new[] { "web/deploy.yaml" }, 1, new[] { "fa-web" })]
    [InlineData("a folder the annotation names", new[] { "shared/base.yaml" }, 1, new[] { "fa-api" })]
    [InlineData("the annotated app's own folder is not in its annotation", new[] { "api/deploy.yaml" }, 1, new string[0])]
    [InlineData("two folders", new[] { "web/a.yaml", "shop/cm.yaml" }, 1, new[] { "fa-broken", "fa-shop", "fa-web" })]
    [InlineData("no app's folder", new[] { "README.md" }, 1, new string[0])]
    [InlineData("a payload GitHub may have truncated", new[] { "README.md" }, 20, new[] { "fa-api", "fa-broken", "fa-shop", "fa-web" })]
    public async Task GitHubWebhook_MonorepoPush_EnqueuesOnlyTheAppsWhosePathsItTouches(string row, string[] changed, int commits, string[] expected)
    {
        Assert.False(string.IsNullOrEmpty(row));
        _temp.Write("apps/apps.yaml", string.Join("---\n",
            App("fa-shop", RepoUrl, "shop"), App("fa-broken", RepoUrl, "shop", "name: nowhere"), App("fa-offline", "https://github.com/acme/offline", "shop"),
            App("fa-web", RepoUrl, "web"), App("fa-api", RepoUrl, "api").Replace("  name: fa-api\n", "  name: fa-api\n  annotations:\n    argocd.argoproj.io/manifest-generate-paths: /shared\n", StringComparison.Ordinal)));
        var body = MonorepoPush(_repo.Head(), changed, commits);
        var context = Request(body, Sign(body));

        var result = await Function<GitHubWebhookFunction>().RunAsync(context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status202Accepted, context.Response.StatusCode);
        var jobs = (await _queue.ReceiveMessagesAsync(32)).Value.Select(m => JobMessage.Parse(m.Body.ToString())).ToList();
        Assert.Equal(expected, jobs.Select(j => j.App).Order(StringComparer.Ordinal));
        Assert.All(jobs, j => Assert.Equal((JobKind.Sync, JobReason.Webhook), (j.Kind, j.Reason)));
    }

    [Fact]
    public async Task SyncWorker_MalformedMessage_CompletesWithoutRetrying()
    {
        await Function<SyncWorkerFunction>().RunAsync("{\"v\":1,\"app\":", Invocation(1), CancellationToken.None);

        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task DriftCheck_TimerTick_EnqueuesOneSweepPerCluster()
    {
        await Function<DriftCheckFunction>().RunAsync(new TimerInfo(), CancellationToken.None);

        var messages = (await _queue.ReceiveMessagesAsync(32)).Value;
        var jobs = messages.Select(m => JobMessage.Parse(m.Body.ToString())).OrderBy(j => j.Cluster, StringComparer.Ordinal).ToList();
        // fa-shop and fa-offline share the in-cluster destination; fa-broken names a cluster that does not exist.
        Assert.Equal(2, jobs.Count);
        Assert.Equal(jobs.Count, jobs.Select(j => j.Cluster).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(jobs, j => j.Cluster == "nowhere");
        Assert.All(jobs, j => Assert.Equal((JobKind.Sweep, JobMessage.AllApps, JobReason.Drift), (j.Kind, j.App, j.Reason)));
    }

    [Theory]
    [InlineData("string", "3", 3L)]
    [InlineData("number", 4L, 4L)]
    [InlineData("json", "json:5", 5L)]
    [InlineData("missing", null, 1L)]
    public void DequeueCount_FromBindingData_AsTheWorkerGivesIt(string name, object? value, long expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var data = new Dictionary<string, object?>();
        if (value is string s && s.StartsWith("json:", StringComparison.Ordinal))
        {
            data[SyncWorkerFunction.DequeueCountKey] = System.Text.Json.JsonDocument.Parse(s[5..]).RootElement.Clone();
        }
        else if (value is not null)
        {
            data[SyncWorkerFunction.DequeueCountKey] = value;
        }

        Assert.Equal(expected, SyncWorkerFunction.DequeueCount(data));
    }

    private T Function<T>()
        where T : class => ActivatorUtilities.CreateInstance<T>(_host.Services);

    private TestFunctionContext Invocation(long dequeueCount) =>
        new(_host.Services, new Dictionary<string, object?> { [SyncWorkerFunction.DequeueCountKey] = dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private async Task<JsonNode> Status(string app)
    {
        var context = new DefaultHttpContext { RequestServices = _host.Services };
        context.Response.Body = new MemoryStream();
        var result = await Function<StatusFunction>().RunAsync(context.Request, app, CancellationToken.None);
        await result.ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        return JsonNode.Parse(context.Response.Body)!;
    }

    private DefaultHttpContext Request(byte[] body, string signature)
    {
        var context = new DefaultHttpContext { RequestServices = _host.Services };
        context.Request.Method = "POST";
        context.Request.Path = "/" + FunctionRoutes.GitHubWebhook;
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers["X-GitHub-Event"] = "push";
        context.Request.Headers["X-GitHub-Delivery"] = Guid.NewGuid().ToString();
        context.Request.Headers["X-Hub-Signature-256"] = signature;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Sign(byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));

    // Leading whitespace as a proxy might leave it: the HMAC covers these exact bytes, so the function must pass them on untouched.
    private static byte[] PushBody(string after) =>
        [.. "\r\n  "u8, .. Ferry.Cli.Local.DemoRepository.PushPayload(new string('0', 40), after, ["shop/cm.yaml"], RepoUrl)];

    /// <summary>A push of <paramref name="commits"/> commits whose last one changes <paramref name="changed"/>.</summary>
    private static byte[] MonorepoPush(string after, string[] changed, int commits)
    {
        var payload = JsonNode.Parse(Ferry.Cli.Local.DemoRepository.PushPayload(new string('0', 40), after, changed, RepoUrl))!.AsObject();
        var list = payload["commits"]!.AsArray();
        for (var i = 1; i < commits; i++)
        {
            list.Insert(0, new JsonObject { ["id"] = $"{i:x40}", ["added"] = new JsonArray(), ["modified"] = new JsonArray("README.md"), ["removed"] = new JsonArray() });
        }

        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private static JobMessage Job(string app) => new()
    {
        Kind = JobKind.Sync,
        App = app,
        Reason = JobReason.Manual,
        DeliveryId = Guid.NewGuid().ToString(),
        EnqueuedAt = DateTimeOffset.UtcNow,
    };

    private static string App(string name, string repoUrl, string path, string destination = "server: https://kubernetes.default.svc") => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: {name}
        spec:
          source:
            repoURL: {repoUrl}
            path: {path}
            targetRevision: main
          destination:
            {destination}
            namespace: {name}
          syncPolicy:
            automated:
              prune: true
            syncOptions: [CreateNamespace=true]

        """;
}
