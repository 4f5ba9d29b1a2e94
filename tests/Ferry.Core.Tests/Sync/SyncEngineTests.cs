using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Status;
using Ferry.Core.Sync;
using Ferry.Core.Yaml;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Sync;

public sealed class SyncEngineTests : IAsyncLifetime
{
    private const string App = "guestbook";

    private const string Manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          greeting: hello
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
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
                ports:
                - containerPort: 80
                resources:
                  requests: {cpu: 100m, memory: 0.5Gi}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports:
          - port: 80
            targetPort: 80
        """;

    private KubeSimulator _server = null!;
    private KubeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "test-token", AutoComplete = true });
        _client = KubeClientFactory.FromToken(_server.BaseAddress, "test-token", _server.CertificateAuthorityPem);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SyncAsync_FirstSync_CreatesEverythingInKindOrder()
    {
        var result = await SyncAsync(Parse(Manifests));

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.Equal(SyncStatusCode.Synced, result.SyncStatus);
        Assert.Equal(["Namespace", "ConfigMap", "Service", "Deployment"], result.Results.Select(r => r.Kind));
        Assert.All(result.Results, r => Assert.Equal(ResourceAction.Created, r.Action));
        var deployment = _server.GetObject("apps/v1", "Deployment", "demo", "web")!;
        Assert.Equal("guestbook:apps/Deployment:demo/web", (string?)deployment["metadata"]!["annotations"]![Annotations.TrackingId]);
        Assert.Equal(3, result.Inventory.Count);
        Assert.Equal(HealthStatusCode.Healthy, result.Health.Status);
    }

    [Fact]
    public async Task SyncAsync_SameRevisionAgain_SendsNoMutatingRequest()
    {
        var first = await SyncAsync(Parse(Manifests));
        _server.Requests.Clear();

        var second = await SyncAsync(Parse(Manifests), first.Inventory);

        Assert.Equal(OperationPhase.Succeeded, second.Phase);
        Assert.All(second.Results, r => Assert.Equal(ResourceAction.Unchanged, r.Action));
        Assert.True(_server.Requests.MutatingCount == 0, string.Join("\n", _server.Requests.Snapshot().Where(r => r.IsMutating).Select(r => $"{r.Method} {r.Path} {r.Body}")));
        Assert.Equal(0, _server.Requests.CountWhere(r => r.Method == "PATCH"));
        // One list per (resource, namespace) pair plus the namespace check: no per-object reads.
        Assert.True(_server.Requests.CountWhere(r => r.Method == "GET") <= 4, string.Join("\n", _server.Requests.Snapshot().Select(r => $"{r.Method} {r.Path}")));
    }

    [Fact]
    public async Task SyncAsync_LiveEdit_IsOutOfSyncThenHealed()
    {
        var first = await SyncAsync(Parse(Manifests));
        _server.UpdateObject("apps/v1", "Deployment", "demo", "web", d => d["spec"]!["replicas"] = 5);

        var compare = await SyncAsync(Parse(Manifests), first.Inventory, dryRun: true);

        Assert.Equal(SyncStatusCode.OutOfSync, compare.SyncStatus);
        Assert.Contains("-  replicas: 5", compare.Diff);
        Assert.Contains("+  replicas: 2", compare.Diff);
        Assert.Equal(5, (int)_server.GetObject("apps/v1", "Deployment", "demo", "web")!["spec"]!["replicas"]!);

        var heal = await SyncAsync(Parse(Manifests), first.Inventory);

        Assert.Equal(SyncStatusCode.Synced, heal.SyncStatus);
        Assert.Equal(ResourceAction.Configured, heal.Results.Single(r => r.Kind == "Deployment").Action);
        Assert.Equal(2, (int)_server.GetObject("apps/v1", "Deployment", "demo", "web")!["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task SyncAsync_ManifestRemoved_PrunedOnlyWithPruneOn()
    {
        var first = await SyncAsync(Parse(Manifests));
        var without = Parse(Manifests).Where(m => m.Key.Kind != "ConfigMap").ToList();

        var noPrune = await SyncAsync(without, first.Inventory, prune: false);

        Assert.Equal(SyncStatusCode.OutOfSync, noPrune.SyncStatus);
        Assert.Contains(noPrune.Results, r => r is { Kind: "ConfigMap", Action: ResourceAction.PruneSkipped });
        Assert.NotNull(_server.GetObject("v1", "ConfigMap", "demo", "settings"));
        Assert.Contains(noPrune.Inventory, e => e.Id == "demo_settings__ConfigMap");

        var prune = await SyncAsync(without, noPrune.Inventory, prune: true);

        Assert.Equal(SyncStatusCode.Synced, prune.SyncStatus);
        Assert.Contains(prune.Results, r => r is { Kind: "ConfigMap", Action: ResourceAction.Pruned });
        Assert.Null(_server.GetObject("v1", "ConfigMap", "demo", "settings"));
        Assert.DoesNotContain(prune.Inventory, e => e.Id == "demo_settings__ConfigMap");
    }

    [Fact]
    public async Task SyncAsync_ObjectTakenOverByAnotherApp_IsNeverPruned()
    {
        var first = await SyncAsync(Parse(Manifests));
        _server.UpdateObject("v1", "ConfigMap", "demo", "settings",
            cm => cm["metadata"]!["annotations"]![Annotations.TrackingId] = "other-app:/ConfigMap:demo/settings");

        var result = await SyncAsync(Parse(Manifests).Where(m => m.Key.Kind != "ConfigMap").ToList(), first.Inventory, prune: true);

        Assert.Contains(result.Results, r => r is { Kind: "ConfigMap", Action: ResourceAction.PruneSkipped });
        Assert.NotNull(_server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    [Fact]
    public async Task SyncAsync_OneInvalidObject_AppliesNothing()
    {
        const string invalid = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              selector:
                matchLabels: {app: one}
              template:
                metadata:
                  labels: {app: two}
                spec:
                  containers:
                  - name: c
                    image: nginx
            """;
        await SyncAsync(Parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n"));
        _server.Requests.Clear();

        var result = await SyncAsync([.. Parse(Manifests), .. Parse(invalid, "broken.yaml")]);

        Assert.Equal(OperationPhase.Failed, result.Phase);
        Assert.Contains("nothing was applied", result.Message);
        Assert.Contains("broken.yaml:1", result.Message);
        Assert.Equal(0, _server.Requests.MutatingCount);
        Assert.Null(_server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    [Fact]
    public async Task SyncAsync_UnknownKind_ErrorsWithFileAndLineBeforeApplying()
    {
        var widget = Parse("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n", "widget.yaml");

        var result = await SyncAsync([.. Parse(Manifests), .. widget]);

        Assert.Equal(OperationPhase.Error, result.Phase);
        Assert.Contains("widget.yaml:1", result.Message);
        Assert.Contains("Widget", result.Message);
        Assert.Equal(0, _server.Requests.MutatingCount);
    }

    [Fact]
    public async Task SyncAsync_EmptyRender_RefusesAndPrunesNothing()
    {
        var first = await SyncAsync(Parse(Manifests));

        var result = await SyncAsync([], first.Inventory, prune: true);

        Assert.Equal(OperationPhase.Error, result.Phase);
        Assert.Contains("allowEmpty", result.Message);
        Assert.NotNull(_server.GetObject("v1", "ConfigMap", "demo", "settings"));
        Assert.Equal(first.Inventory, result.Inventory);
    }

    [Fact]
    public async Task SyncAsync_ForbiddenObject_RefusedByPolicy()
    {
        var result = await SyncAsync(Parse(Manifests), policy: (key, _) => key.Kind == "Service" ? $"{key} is not permitted in project 'restricted'" : null);

        Assert.Equal(OperationPhase.Error, result.Phase);
        Assert.Contains("not permitted", result.Message);
        Assert.Null(_server.GetObject("v1", "ConfigMap", "demo", "settings"));
    }

    [Fact]
    public async Task SyncAsync_DuplicateObject_Errors()
    {
        var result = await SyncAsync([.. Parse(Manifests, "a.yaml"), .. Parse(Manifests, "b.yaml")]);

        Assert.Equal(OperationPhase.Error, result.Phase);
        Assert.Contains("defined twice", result.Message);
    }

    [Fact]
    public async Task SyncAsync_ManyChangedWorkloads_RereadForHealthWithOneListPerNamespace()
    {
        var deployments = string.Join("---\n", Enumerable.Range(1, 6).Select(i => $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web-{{i}}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web-{{i}}}
              template:
                metadata:
                  labels: {app: web-{{i}}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25

            """));
        await SyncAsync(Parse("apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n"));
        _server.Requests.Clear();

        var result = await SyncAsync(Parse(deployments));

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.All(result.Resources, r => Assert.Equal(HealthStatusCode.Healthy, r.Health));
        Assert.Equal(HealthStatusCode.Healthy, result.Health.Status);
        var reads = _server.Requests.Snapshot().Where(r => r.Method == "GET" && r.Path.Contains("/deployments", StringComparison.Ordinal)).ToList();
        Assert.True(reads.Count == 2, string.Join("\n", reads.Select(r => $"{r.Method} {r.Path}{r.Query}")));
        Assert.All(reads, r => Assert.EndsWith("/namespaces/demo/deployments", r.Path, StringComparison.Ordinal));
    }

    private Task<SyncResult> SyncAsync(IReadOnlyList<Manifest> manifests, IReadOnlyList<Ferry.Core.Inventory.InventoryEntry>? inventory = null,
        bool prune = false, bool dryRun = false, Func<ResourceKey, bool, string?>? policy = null) =>
        new SyncEngine(_client, HealthAssessor.Assess).SyncAsync(new SyncRequest
        {
            AppName = App,
            Manifests = manifests,
            Inventory = inventory ?? [],
            DestinationNamespace = "demo",
            Options = new SyncOptionSet { CreateNamespace = true },
            Prune = prune,
            DryRun = dryRun,
            Policy = policy,
            PollInterval = TimeSpan.FromMilliseconds(20),
        }, CancellationToken.None);

    private static List<Manifest> Parse(string yaml, string file = "app.yaml") =>
        [.. YamlReader.ReadAll(yaml, file).Select(d => new Manifest((JsonObject)d.Root!, d.File, d.Line))];
}
