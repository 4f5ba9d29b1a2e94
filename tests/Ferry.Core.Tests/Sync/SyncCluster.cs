using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Inventory;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Sync;
using Ferry.Core.Yaml;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Sync;

/// <summary>A simulator whose controllers act only when a test says so, a client, and helpers to run a sync and step it along.</summary>
internal sealed class SyncCluster : IAsyncDisposable
{
    public const string App = "guestbook";
    public const string Namespace = "demo";

    private SyncCluster(KubeSimulator server, KubeClient client)
    {
        Server = server;
        Client = client;
    }

    public KubeSimulator Server { get; }

    public KubeClient Client { get; }

    /// <summary>Every "waiting for" status the syncs reported, in order.</summary>
    public List<SyncWait> Waits { get; } = [];

    public static async Task<SyncCluster> StartAsync()
    {
        var server = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "test-token" });
        return new SyncCluster(server, KubeClientFactory.FromToken(server.BaseAddress, "test-token", server.CertificateAuthorityPem));
    }

    /// <summary>A request with the test defaults: destination demo (created), a tiny poll interval.</summary>
    public SyncRequest Request(IReadOnlyList<Manifest> manifests, IReadOnlyList<InventoryEntry>? inventory = null) => new()
    {
        AppName = App,
        Manifests = manifests,
        Inventory = inventory ?? [],
        DestinationNamespace = Namespace,
        Options = new SyncOptionSet { CreateNamespace = true },
        PollInterval = TimeSpan.FromMilliseconds(10),
        WaveTimeout = TimeSpan.FromSeconds(5),
        OnWaiting = (wait, _) =>
        {
            lock (Waits)
            {
                Waits.Add(wait);
            }

            return Task.CompletedTask;
        },
    };

    public Task<SyncResult> SyncAsync(SyncRequest request) =>
        Task.Run(() => new SyncEngine(Client, HealthAssessor.Assess).SyncAsync(request, CancellationToken.None));

    /// <summary>Waits until the simulator holds the object (the sync got that far); fails if the sync ends first.</summary>
    public async Task<JsonObject> WaitForObjectAsync(Task sync, string apiVersion, string kind, string name, string? ns = Namespace)
    {
        while (true)
        {
            if (Server.GetObject(apiVersion, kind, ns, name) is { } found)
            {
                return found;
            }

            AssertRunning(sync, $"{kind} {name} was created");
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until the sync reports waiting for an object whose key contains <paramref name="name"/>.</summary>
    public async Task<SyncWait> WaitForWaitingAsync(Task sync, string name)
    {
        while (true)
        {
            lock (Waits)
            {
                if (Waits.LastOrDefault(w => w.Waiting.Any(x => x.Contains(name, StringComparison.Ordinal))) is { } wait)
                {
                    return wait;
                }
            }

            AssertRunning(sync, $"it waited for {name}");
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until a Job whose name starts with <paramref name="prefix"/> exists; returns its name.</summary>
    public async Task<string> WaitForJobAsync(Task sync, string prefix)
    {
        while (true)
        {
            if (Server.Objects.FirstOrDefault(o => (string?)o["kind"] == "Job" && ((string?)o["metadata"]!["name"])!.StartsWith(prefix, StringComparison.Ordinal)) is { } job)
            {
                return (string)job["metadata"]!["name"]!;
            }

            AssertRunning(sync, $"a Job {prefix}* was created");
            await Task.Delay(5);
        }
    }

    private static void AssertRunning(Task sync, string what)
    {
        if (sync.IsCompleted)
        {
            Assert.Fail($"the sync ended before {what}: {(sync as Task<SyncResult>)?.Result.Message ?? sync.Exception?.Message}");
        }
    }

    public static List<Manifest> Parse(string yaml, string file = "app.yaml") =>
        [.. YamlReader.ReadAll(yaml, file).Where(d => d.Root is JsonObject).Select(d => new Manifest((JsonObject)d.Root!, d.File, d.Line))];

    public static string Deployment(string name, string annotations = "{}", string image = "nginx:1.25", int replicas = 1) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
          annotations: {{annotations}}
        spec:
          replicas: {{replicas}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              containers:
              - name: main
                image: {{image}}
        ---

        """;

    public static string Job(string name, string annotations, string nameField = "name") => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          {{nameField}}: {{name}}
          annotations: {{annotations}}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: busybox
        ---

        """;

    public static string ConfigMap(string name, string annotations = "{}", string value = "v") => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{name}}
          annotations: {{annotations}}
        data:
          key: {{value}}
        ---

        """;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
