using System.Text.Json.Nodes;
using Ferry.Core.Diff;
using Ferry.Core.Kube;
using Ferry.Core.Status;
using Ferry.Core.Sync;
using static Ferry.Core.Tests.Sync.SyncCluster;

namespace Ferry.Core.Tests.Sync;

/// <summary>Argo CD's sync options, app-level and per object, against the simulator.</summary>
public sealed class SyncOptionsTests : IAsyncLifetime
{
    private SyncCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SyncCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("Replace=true", "PUT")]
    [InlineData("Replace=true,Force=true", "POST")]
    public async Task SyncAsync_Replace_ReplacesTheWholeObject(string option, string verb)
    {
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("settings", $"{{argocd.argoproj.io/sync-options: \"{option}\"}}"))));
        var uid = (string?)_cluster.Server.GetObject("v1", "ConfigMap", "demo", "settings")!["metadata"]!["uid"];
        _cluster.Server.UpdateObject("v1", "ConfigMap", "demo", "settings", cm => cm["data"]!["added-by-hand"] = "x");
        _cluster.Server.Requests.Clear();

        var result = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("settings", $"{{argocd.argoproj.io/sync-options: \"{option}\"}}", value: "w")), first.Inventory));

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        var live = _cluster.Server.GetObject("v1", "ConfigMap", "demo", "settings")!;
        Assert.Equal("w", (string?)live["data"]!["key"]);
        Assert.Null(live["data"]!["added-by-hand"]); // a server-side apply would have kept the other manager's key
        var writes = _cluster.Server.Requests.Snapshot().Where(r => r.IsMutating).Select(r => r.Method).ToList();
        Assert.Equal(verb == "PUT" ? ["PUT"] : ["DELETE", "POST"], writes);
        Assert.Equal(verb == "PUT", uid == (string?)live["metadata"]!["uid"]);
    }

    [Fact]
    public async Task SyncAsync_ValidateFalse_LetsTheServerDropUnknownFields()
    {
        const string Unknown = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\n  annotations: {argocd.argoproj.io/sync-options: \"Validate=false\"}\ndata: {a: b}\nextra: field\n";

        var strict = await _cluster.SyncAsync(_cluster.Request(Parse(Unknown.Replace("Validate=false", "Validate=true", StringComparison.Ordinal))));
        var lenient = await _cluster.SyncAsync(_cluster.Request(Parse(Unknown)));

        Assert.Equal(OperationPhase.Failed, strict.Phase);
        Assert.Contains("field not declared in schema", strict.Message);
        Assert.Equal(OperationPhase.Succeeded, lenient.Phase);
        Assert.Null(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "odd")!["extra"]);
    }

    [Theory]
    [InlineData(null, "Foreground")]
    [InlineData("PrunePropagationPolicy=background", "Background")]
    [InlineData("PrunePropagationPolicy=orphan", "Orphan")]
    public async Task SyncAsync_PrunePropagationPolicy_IsSentWithTheDelete(string? option, string expected)
    {
        var options = SyncOptionSet.Parse(option is null ? ["CreateNamespace=true"] : ["CreateNamespace=true", option]);
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("old") + ConfigMap("keep"))) with { Options = options });
        _cluster.Server.Requests.Clear();

        var result = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("keep")), first.Inventory) with { Options = options, Prune = true });

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        var delete = Assert.Single(_cluster.Server.Requests.Snapshot(), r => r.Method == "DELETE");
        Assert.Equal(expected, (string?)JsonNode.Parse(delete.Body!)!["propagationPolicy"]);
    }

    [Theory]
    [InlineData(true, 5)]
    [InlineData(false, 1)]
    public async Task SyncAsync_RespectIgnoreDifferences_KeepsIgnoredLiveFields(bool respect, int expectedReplicas)
    {
        var diff = new DiffOptions { IgnoreDifferences = [new IgnoreDifference { Group = "apps", Kind = "Deployment", JsonPointers = ["/spec/replicas"] }] };
        var options = SyncOptionSet.Parse(respect ? ["CreateNamespace=true", "RespectIgnoreDifferences=true"] : ["CreateNamespace=true"]);
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web"))) with { Diff = diff, Options = options });
        _cluster.Server.UpdateObject("apps/v1", "Deployment", "demo", "web", d => d["spec"]!["replicas"] = 5, manager: "hpa");

        var unchanged = await _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web")), first.Inventory) with { Diff = diff, Options = options, DryRun = true });
        var result = await _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web", image: "nginx:1.26")), first.Inventory) with { Diff = diff, Options = options });

        Assert.Equal(SyncStatusCode.Synced, unchanged.SyncStatus);
        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        var live = _cluster.Server.GetObject("apps/v1", "Deployment", "demo", "web")!;
        Assert.Equal("nginx:1.26", (string?)live["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal(expectedReplicas, (int)live["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task SyncAsync_FailOnSharedResource_RefusesAnObjectAnotherAppTracks()
    {
        await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("shared"))) with { AppName = "other" });
        _cluster.Server.Requests.Clear();

        var refused = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("shared", value: "mine"))) with { Options = SyncOptionSet.Parse(["FailOnSharedResource=true"]) });
        var taken = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("shared", value: "mine"))));

        Assert.Equal(OperationPhase.Error, refused.Phase);
        Assert.Equal("ConfigMap/demo/shared is already managed by another app (other:/ConfigMap:demo/shared) and FailOnSharedResource is set", refused.Message);
        Assert.Equal(OperationPhase.Succeeded, taken.Phase);
        Assert.Equal("guestbook:/ConfigMap:demo/shared", (string?)_cluster.Server.GetObject("v1", "ConfigMap", "demo", "shared")!["metadata"]!["annotations"]![Annotations.TrackingId]);
    }

    [Fact]
    public async Task SyncAsync_PruneFalseOnTheObject_KeepsItTrackedAndOutOfSync()
    {
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("keep-me", "{argocd.argoproj.io/sync-options: Prune=false}") + ConfigMap("other"))));

        var result = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("other")), first.Inventory) with { Prune = true });

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.NotNull(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "keep-me"));
        Assert.Contains(result.Results, r => r is { Name: "keep-me", Action: ResourceAction.PruneSkipped, Message: "not pruned: Prune=false" });
        Assert.Contains(result.Inventory, e => e.Id == "demo_keep-me__ConfigMap");
        Assert.Equal(SyncStatusCode.OutOfSync, result.SyncStatus);
    }

    [Fact]
    public async Task SyncAsync_IgnoreExtraneous_ExtraneousObjectDoesNotMakeTheAppOutOfSync()
    {
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("generated", "{argocd.argoproj.io/compare-options: IgnoreExtraneous}") + ConfigMap("plain") + ConfigMap("other"))));

        var withIgnored = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("other") + ConfigMap("plain")), first.Inventory) with { DryRun = true });
        var withPlain = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("other")), first.Inventory) with { DryRun = true });

        Assert.Equal(SyncStatusCode.Synced, withIgnored.SyncStatus);
        Assert.Contains(withIgnored.Resources, r => r is { Name: "generated", Status: SyncStatusCode.Synced, Message: "extraneous; ignored (IgnoreExtraneous)" });
        Assert.Equal(SyncStatusCode.OutOfSync, withPlain.SyncStatus);
    }

    [Fact]
    public async Task SyncAsync_SkipDryRunOnMissingResource_AppliesTheCustomResourceOnceItsKindExists()
    {
        const string Widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n  annotations: {argocd.argoproj.io/sync-wave: \"1\", argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true}\nspec: {size: 1}\n";
        var refused = await _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web") + Widget.Replace("SkipDryRunOnMissingResource=true", "Validate=true", StringComparison.Ordinal))));
        Assert.Equal(OperationPhase.Error, refused.Phase);

        var sync = _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web") + Widget)));
        await _cluster.WaitForWaitingAsync(sync, "demo/web");
        // Another app (or an operator) installs the CRD while wave 0 rolls out.
        await _cluster.Client.ApplyAsync(Parse(WidgetCrd)[0].Object, new ApplyOptions { FieldManager = "operator", Force = true }, CancellationToken.None);
        _cluster.Server.CompleteRollout("Deployment", "demo", "web");
        var result = await sync;

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.NotNull(_cluster.Server.GetObject("example.com/v1", "Widget", "demo", "w1"));
    }

    [Fact]
    public async Task SyncAsync_CreateNamespaceWithManagedMetadata_LabelsTheNamespaceAndKeepsOthers()
    {
        var metadata = new ManagedNamespaceMetadata
        {
            Labels = new Dictionary<string, string> { ["team"] = "web" },
            Annotations = new Dictionary<string, string> { ["owner"] = "ops@example.com" },
        };

        var created = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("settings"))) with { NamespaceMetadata = metadata });
        _cluster.Server.UpdateObject("v1", "Namespace", null, "demo", ns => ns["metadata"]!["labels"]!["by-hand"] = "yes");
        _cluster.Server.Requests.Clear();
        var same = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("settings")), created.Inventory) with { NamespaceMetadata = metadata });
        var relabel = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("settings")), created.Inventory) with
        {
            NamespaceMetadata = metadata with { Labels = new Dictionary<string, string> { ["team"] = "payments" } },
        });

        Assert.Equal(OperationPhase.Succeeded, created.Phase);
        Assert.Equal(OperationPhase.Succeeded, same.Phase);
        Assert.Equal(OperationPhase.Succeeded, relabel.Phase);
        var ns = _cluster.Server.GetObject("v1", "Namespace", null, "demo")!;
        Assert.Equal("payments", (string?)ns["metadata"]!["labels"]!["team"]);
        Assert.Equal("yes", (string?)ns["metadata"]!["labels"]!["by-hand"]);
        Assert.Equal("ops@example.com", (string?)ns["metadata"]!["annotations"]!["owner"]);
        // The unchanged metadata sent nothing; the changed label one apply.
        Assert.Single(_cluster.Server.Requests.Snapshot(), r => r.IsMutating && r.Path.EndsWith("/namespaces/demo", StringComparison.Ordinal));
    }

    private const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-preserve-unknown-fields: true
        """;
}
