using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Git;
using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;
using Ferry.Core.Webhooks;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;
using TempDirectory = Ferry.Functions.Tests.TestSupport.TempDirectory;

namespace Ferry.Functions.Tests.Telemetry;

/// <summary>Real SDK, real HTTP: the telemetry goes to an ingestion listener on 127.0.0.1 and the tests read the envelopes that arrive.</summary>
public sealed class AppInsightsTelemetryTests
{
    private const string DeliveryId = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    private const string WebhookSecret = "whsec-It's a Secret to Everybody";
    private const string BearerToken = "kube-bearer-eyJhbGciOiJSUzI1NiJ9.super-secret";
    private const string GitToken = "ghp_TelemetryMustNeverSeeThis42";
    private const string Sha = "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c";

    [Fact]
    public async Task WebhookThenSyncWorker_OneDelivery_ArrivesAsOneOperationWithEventsMetricsAndDependencies()
    {
        await using var ingestion = await IngestionListener.StartAsync();
        await using var kube = await KubeReplayServer.StartAsync();
        kube.Map("GET", "/version", "001-version");
        using var state = new TempDirectory();
        var apps = Path.Combine(state.Path, "apps");
        Directory.CreateDirectory(apps);
        await File.WriteAllTextAsync(Path.Combine(apps, "guestbook.yaml"), GuestbookApp);
        using var closed = new RefusingPort();
        var gitPort = closed.Port;

        await using (var telemetry = AppInsightsTelemetry.Create(ingestion.ConnectionString, "ferry-test"))
        {
            var queue = new InMemoryJobQueue();
            var intake = new GitHubWebhookIntake(new DirectoryCatalogProvider(apps), queue, WebhookSecret, new DeliveryDeduplicator(TimeProvider.System), events: telemetry);
            var body = Encoding.UTF8.GetBytes(PushPayload);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                [GitHubHeaders.Event] = "push",
                [GitHubHeaders.Delivery] = DeliveryId,
                [GitHubHeaders.Signature256] = GitHubSignature.Compute(body, WebhookSecret),
            };

            using (var invocation = telemetry.StartInvocation(FunctionNames.GitHubWebhook, headers[GitHubHeaders.Delivery]))
            {
                var answer = await intake.HandleAsync(headers.GetValueOrDefault, body, CancellationToken.None);
                invocation.Complete(answer.StatusCode);
                Assert.Equal(["guestbook"], answer.Queued);
            }

            var job = (await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!.Message;
            using (var worker = telemetry.StartJob(FunctionNames.SyncWorker, job))
            {
                var git = new GitRepositoryCache(new GitCacheOptions
                {
                    RootDirectory = Path.Combine(state.Path, "git"),
                    Credentials = _ => GitCredentials.Https("bot", GitToken),
                    OnCommand = telemetry.GitCommand,
                });
                await Assert.ThrowsAsync<GitException>(() => git.ResolveAsync($"https://127.0.0.1:{gitPort}/acme/guestbook.git", "main", CancellationToken.None));

                using var client = KubeClientFactory.FromToken(kube.Url, BearerToken, options: new KubeClientOptions { OnRequest = telemetry.KubeRequest, MaxRetries = 0 });
                Assert.Equal("v1.26.1", await client.GetServerVersionAsync(CancellationToken.None));

                telemetry.DriftDetected(new DriftEvent("guestbook", Sha, ["Deployment/web/guestbook-ui"], WillSync: true));
                telemetry.Reconciled(new ReconcileEvent(
                    new ReconcileRequest { App = job.App, Mode = ReconcileMode.Sync, Revision = job.Revision, Reason = "webhook", DeliveryId = job.DeliveryId },
                    SyncedStatus(),
                    Applied: true,
                    TimeSpan.FromMilliseconds(1234)));
                worker.Complete(200);
            }

            Assert.Equal($"Bearer {BearerToken}", Assert.Single(kube.Requests).Authorization);
        }

        var envelopes = await ingestion.WaitForAsync(e => e.Count == 10);

        Assert.All(ingestion.Paths, p => Assert.EndsWith("/track", p, StringComparison.Ordinal));
        Assert.All(envelopes, e => Assert.Equal(DeliveryId, Tag(e, "ai.operation.id")));
        Assert.All(envelopes, e => Assert.Equal("ferry-test", Tag(e, "ai.cloud.role")));

        var requests = envelopes.Where(e => BaseType(e) == "RequestData").Select(BaseData).ToList();
        Assert.Equal([(FunctionNames.GitHubWebhook, "202", true), (FunctionNames.SyncWorker, "200", true)],
            requests.Select(r => ((string)r["name"]!, (string)r["responseCode"]!, (bool)r["success"]!)));
        var workerRequestId = (string)requests[1]["id"]!;

        var events = envelopes.Where(e => BaseType(e) == "EventData").ToDictionary(e => (string)BaseData(e)["name"]!);
        Assert.Equal([TelemetryNames.DriftDetected, TelemetryNames.SyncCompleted, TelemetryNames.WebhookReceived], events.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((string)requests[0]["id"]!, Tag(events[TelemetryNames.WebhookReceived], "ai.operation.parentId"));
        Assert.Equal(workerRequestId, Tag(events[TelemetryNames.SyncCompleted], "ai.operation.parentId"));

        var webhook = Properties(events[TelemetryNames.WebhookReceived]);
        Assert.Equal(DeliveryId, webhook[TelemetryDimensions.DeliveryId]);
        Assert.Equal("push", webhook[TelemetryDimensions.Event]);
        Assert.Equal("202", webhook[TelemetryDimensions.StatusCode]);
        Assert.Equal("guestbook", webhook[TelemetryDimensions.Queued]);
        Assert.Equal("1", webhook[TelemetryDimensions.QueuedCount]);

        var drift = Properties(events[TelemetryNames.DriftDetected]);
        Assert.Equal(("guestbook", Sha, "1", "True"), (drift[TelemetryDimensions.App], drift[TelemetryDimensions.Revision], drift[TelemetryDimensions.OutOfSync], drift[TelemetryDimensions.WillSync]));
        Assert.Equal("Deployment/web/guestbook-ui", drift[TelemetryDimensions.Resources]);

        var sync = Properties(events[TelemetryNames.SyncCompleted]);
        Assert.Equal("guestbook", sync[TelemetryDimensions.App]);
        Assert.Equal(Sha, sync[TelemetryDimensions.Revision]);
        Assert.Equal("Synced", sync[TelemetryDimensions.SyncStatus]);
        Assert.Equal("Healthy", sync[TelemetryDimensions.Health]);
        Assert.Equal("webhook", sync[TelemetryDimensions.Reason]);
        Assert.Equal(DeliveryId, sync[TelemetryDimensions.DeliveryId]);
        Assert.Equal("Succeeded", sync[TelemetryDimensions.Phase]);
        Assert.Equal("True", sync[TelemetryDimensions.Applied]);
        Assert.Equal(("2", "1", "3", "1", "0"), (sync[TelemetryDimensions.Created], sync[TelemetryDimensions.Configured], sync[TelemetryDimensions.Unchanged], sync[TelemetryDimensions.Pruned], sync[TelemetryDimensions.Failed]));
        var measurements = BaseData(events[TelemetryNames.SyncCompleted])["measurements"]!.AsObject();
        Assert.Equal(1234, (double)measurements[TelemetryNames.SyncDurationMs]!);
        Assert.Equal(3, (double)measurements[TelemetryNames.ObjectsApplied]!);
        Assert.True((double)measurements[TelemetryNames.QueueLatencyMs]! >= 0);

        var metrics = envelopes.Where(e => BaseType(e) == "MetricData").ToDictionary(e => (string)BaseData(e)["metrics"]![0]!["name"]!);
        Assert.Equal(TelemetryNames.Metrics, metrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1234, (double)BaseData(metrics[TelemetryNames.SyncDurationMs])["metrics"]![0]!["value"]!);
        Assert.All(metrics.Values, m => Assert.Equal("guestbook", Properties(m)[TelemetryDimensions.App]));

        var dependencies = envelopes.Where(e => BaseType(e) == "RemoteDependencyData").ToDictionary(e => (string)BaseData(e)["type"]!);
        var gitCall = BaseData(dependencies[TelemetryNames.GitDependency]);
        Assert.Equal(("git ls-remote", $"127.0.0.1:{gitPort}", false), ((string)gitCall["name"]!, (string)gitCall["target"]!, (bool)gitCall["success"]!));
        Assert.Equal($"https://127.0.0.1:{gitPort}/acme/guestbook.git", (string?)gitCall["data"]);
        var kubeCall = BaseData(dependencies[TelemetryNames.KubernetesDependency]);
        Assert.Equal(("GET discovery", $"127.0.0.1:{kube.Url.Port}", "200", true),
            ((string)kubeCall["name"]!, (string)kubeCall["target"]!, (string)kubeCall["resultCode"]!, (bool)kubeCall["success"]!));
        Assert.All(dependencies.Values, d => Assert.Equal(workerRequestId, Tag(d, "ai.operation.parentId")));

        var wire = ingestion.AllText;
        foreach (var secret in new[] { WebhookSecret, BearerToken, GitToken, Convert.ToBase64String(Encoding.UTF8.GetBytes($"bot:{GitToken}")) })
        {
            Assert.DoesNotContain(secret, wire, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reconciled_FailedOutsideAnInvocation_SendsSyncFailedWithMessageUnderTheRequestsDeliveryId()
    {
        await using var ingestion = await IngestionListener.StartAsync();
        await using (var telemetry = AppInsightsTelemetry.Create(ingestion.ConnectionString))
        {
            var status = new AppStatus
            {
                Name = "payments",
                SyncStatus = SyncStatusCode.Unknown,
                Health = HealthStatusCode.Missing,
                Operation = new OperationState { Phase = OperationPhase.Error, Message = "render: kustomization.yaml:4: unknown field 'resourcez'", Revision = Sha },
            };
            telemetry.Reconciled(new ReconcileEvent(new ReconcileRequest { App = "payments", Reason = "drift", DeliveryId = "drift-1746100800" }, status, false, TimeSpan.FromMilliseconds(40)));
        }

        var envelopes = await ingestion.WaitForAsync(e => e.Count == 3);

        var failed = Assert.Single(envelopes, e => BaseType(e) == "EventData");
        Assert.Equal(TelemetryNames.SyncFailed, (string?)BaseData(failed)["name"]);
        Assert.Equal("drift-1746100800", Tag(failed, "ai.operation.id"));
        Assert.Null(Tag(failed, "ai.operation.parentId"));
        var properties = Properties(failed);
        Assert.Equal(("payments", "Error", "Unknown", "Missing", "drift", "False"),
            (properties[TelemetryDimensions.App], properties[TelemetryDimensions.Phase], properties[TelemetryDimensions.SyncStatus], properties[TelemetryDimensions.Health], properties[TelemetryDimensions.Reason], properties[TelemetryDimensions.Applied]));
        Assert.Equal("render: kustomization.yaml:4: unknown field 'resourcez'", properties[TelemetryDimensions.Message]);
        Assert.DoesNotContain(envelopes, e => BaseData(e)["metrics"]?[0]?["name"]?.ToString() == TelemetryNames.QueueLatencyMs);
    }

    [Fact]
    public async Task StartInvocation_NoOperationIdAndAFailure_GetsAnIdAndRecordsTheExceptionTypeNotItsMessage()
    {
        await using var ingestion = await IngestionListener.StartAsync();
        string operationId;
        await using (var telemetry = AppInsightsTelemetry.Create(ingestion.ConnectionString))
        {
            using (var invocation = telemetry.StartInvocation(FunctionNames.DriftCheck, null))
            {
                operationId = invocation.OperationId;
                Assert.Same(invocation, telemetry.Current);
                invocation.Fail(new InvalidOperationException($"token {BearerToken} rejected"));
            }

            Assert.Null(telemetry.Current);
        }

        var request = Assert.Single(await ingestion.WaitForAsync(e => e.Count == 1));

        Assert.Equal(32, operationId.Length);
        Assert.Equal(operationId, Tag(request, "ai.operation.id"));
        var data = BaseData(request);
        Assert.Equal((FunctionNames.DriftCheck, "500", false), ((string)data["name"]!, (string)data["responseCode"]!, (bool)data["success"]!));
        Assert.Equal(nameof(InvalidOperationException), Properties(request)[TelemetryDimensions.Error]);
        Assert.DoesNotContain(BearerToken, ingestion.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSettings_NoConnectionString_IsOff()
    {
        Assert.Null(AppInsightsTelemetry.FromSettings(_ => null));
        Assert.Null(AppInsightsTelemetry.FromSettings(name => name == AppSettingNames.ApplicationInsightsConnectionString ? " " : null));
    }

    [Theory]
    [InlineData("https://bot:tok@github.com/acme/shop.git?access_token=tok#frag", "github.com", "https://github.com/acme/shop.git")]
    [InlineData("https://git.example.com:8443/acme/shop", "git.example.com:8443", "https://git.example.com:8443/acme/shop")]
    [InlineData("git@github.com:acme/shop.git", "github.com", "github.com:acme/shop.git")]
    [InlineData("ssh://git@github.com/acme/shop.git", "github.com", "ssh://github.com/acme/shop.git")]
    [InlineData("file:///srv/git/shop", "local", "file:///srv/git/shop")]
    [InlineData("https://10.0.0.1:6443", "10.0.0.1:6443", "https://10.0.0.1:6443/")]
    public void DependencyTarget_Url_KeepsHostAndPathOnly(string url, string host, string data)
    {
        Assert.Equal(host, DependencyTarget.Host(url));
        Assert.Equal(data, DependencyTarget.Data(url));
    }

    private static AppStatus SyncedStatus()
    {
        ResourceStatus Resource(string kind, string name, ResourceAction action) =>
            new() { Group = kind == "Deployment" ? "apps" : string.Empty, Version = "v1", Kind = kind, Namespace = "web", Name = name, Action = action, Status = SyncStatusCode.Synced };
        return new AppStatus
        {
            Name = "guestbook",
            SyncStatus = SyncStatusCode.Synced,
            Health = HealthStatusCode.Healthy,
            Revision = Sha,
            Cluster = "prod-aks",
            Operation = new OperationState
            {
                Phase = OperationPhase.Succeeded,
                Message = "successfully synced (all tasks run)",
                Revision = Sha,
                Results =
                [
                    Resource("Namespace", "web", ResourceAction.Unchanged),
                    Resource("ConfigMap", "settings", ResourceAction.Created),
                    Resource("Service", "guestbook-ui", ResourceAction.Unchanged),
                    Resource("Deployment", "guestbook-ui", ResourceAction.Configured),
                    Resource("Ingress", "guestbook-ui", ResourceAction.Created),
                    Resource("Service", "legacy", ResourceAction.Pruned),
                    Resource("Secret", "db", ResourceAction.Unchanged),
                ],
            },
        };
    }

    private static string? BaseType(JsonObject envelope) => (string?)envelope["data"]?["baseType"];

    private static JsonObject BaseData(JsonObject envelope) => envelope["data"]!["baseData"]!.AsObject();

    private static string? Tag(JsonObject envelope, string name) => (string?)envelope["tags"]?[name];

    private static Dictionary<string, string> Properties(JsonObject envelope) =>
        BaseData(envelope)["properties"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal) ?? [];

    private const string GuestbookApp = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: guestbook
        spec:
          project: default
          source:
            repoURL: https://github.com/acme/guestbook.git
            targetRevision: main
            path: deploy
          destination:
            server: https://kubernetes.default.svc
            namespace: web
          syncPolicy:
            automated: {}
        """;

    private const string PushPayload = """
        {"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","after":"0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
         "repository":{"full_name":"acme/guestbook","html_url":"https://github.com/acme/guestbook","clone_url":"https://github.com/acme/guestbook.git",
           "ssh_url":"git@github.com:acme/guestbook.git","default_branch":"main"},
         "created":false,"deleted":false,"forced":false,"commits":[]}
        """;
}
