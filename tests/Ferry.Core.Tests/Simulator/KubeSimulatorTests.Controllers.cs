using System.Text.Json.Nodes;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Simulator;

public sealed partial class KubeSimulatorTests
{
    private const string ControllerDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: default }
        spec:
          replicas: 2
          selector: { matchLabels: { app: web } }
          template:
            metadata: { labels: { app: web } }
            spec: { containers: [{ name: web, image: "nginx:1.27" }] }
        """;

    [Fact]
    public async Task RunControllers_Deployment_GetsAReplicaSetAndPodsByOwnerReference_RolloutScalesTheOldOneDown_DeleteCollectsThem()
    {
        await using var sim = await KubeSimulator.StartAsync(new KubeSimulatorOptions { AutoComplete = true, RunControllers = true });
        using var client = new SimulatorClient(sim);

        Assert.Equal(201, (await client.ApplyAsync("apis/apps/v1/namespaces/default/deployments/web?fieldManager=ferry", ControllerDeployment)).StatusCode);

        var deployment = sim.GetObject("apps/v1", "Deployment", "default", "web")!;
        var first = Assert.Single(Owned(sim, "ReplicaSet", deployment));
        Assert.StartsWith("web-", (string?)first["metadata"]!["name"], StringComparison.Ordinal);
        Assert.Equal(2, (int?)first["spec"]!["replicas"]);
        Assert.Equal((string?)first["metadata"]!["labels"]!["pod-template-hash"], (string?)first["spec"]!["selector"]!["matchLabels"]!["pod-template-hash"]);
        var pods = Owned(sim, "Pod", first);
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal("Running", (string?)p["status"]!["phase"]));
        Assert.All(pods, p => Assert.Equal("web", (string?)p["metadata"]!["labels"]!["app"]));

        await client.ApplyAsync("apis/apps/v1/namespaces/default/deployments/web?fieldManager=ferry", ControllerDeployment.Replace("nginx:1.27", "nginx:1.28", StringComparison.Ordinal));

        var replicaSets = Owned(sim, "ReplicaSet", deployment);
        Assert.Equal(2, replicaSets.Count);
        var old = replicaSets.Single(r => (string?)r["metadata"]!["name"] == (string?)first["metadata"]!["name"]);
        var current = replicaSets.Single(r => r != old);
        Assert.Equal(0, (int?)old["spec"]!["replicas"]);
        Assert.Empty(Owned(sim, "Pod", old));
        Assert.Equal(2, Owned(sim, "Pod", current).Count);

        Assert.Equal(200, (await client.SendAsync("DELETE", "apis/apps/v1/namespaces/default/deployments/web")).StatusCode);

        Assert.DoesNotContain(sim.Objects, o => (string?)o["kind"] is "ReplicaSet" or "Pod");
    }

    [Fact]
    public async Task AutoCompleteWithoutControllers_Deployment_CreatesNothingElse()
    {
        await using var sim = await KubeSimulator.StartAsync(new KubeSimulatorOptions { AutoComplete = true });
        using var client = new SimulatorClient(sim);

        await client.ApplyAsync("apis/apps/v1/namespaces/default/deployments/web?fieldManager=ferry", ControllerDeployment);

        Assert.DoesNotContain(sim.Objects, o => (string?)o["kind"] is "ReplicaSet" or "Pod");
    }

    private static List<JsonObject> Owned(KubeSimulator sim, string kind, JsonObject owner) =>
        [.. sim.Objects.Where(o => (string?)o["kind"] == kind
            && (o["metadata"]!["ownerReferences"] as JsonArray)?.Any(r => (string?)r!["uid"] == (string?)owner["metadata"]!["uid"] && (bool?)r["controller"] == true) == true)];
}
