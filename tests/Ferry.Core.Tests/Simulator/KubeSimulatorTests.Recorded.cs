using System.Text.Json.Nodes;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Simulator;

/// <summary>The simulator answers the recorded requests with the recorded shapes.</summary>
public sealed partial class KubeSimulatorTests : IAsyncLifetime
{
    private const string Deployments = "/apis/apps/v1/namespaces/fixtures/deployments";
    private KubeSimulator simulator = null!;
    private SimulatorClient client = null!;

    public async Task InitializeAsync()
    {
        simulator = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "test-token" });
        client = new SimulatorClient(simulator);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await simulator.DisposeAsync();
    }

    [Theory]
    [InlineData("003-api-v1", "/api/v1")]
    [InlineData("005-apis-apps-v1", "/apis/apps/v1")]
    [InlineData("006-apis-batch-v1", "/apis/batch/v1")]
    [InlineData("007-apis-networking.k8s.io-v1", "/apis/networking.k8s.io/v1")]
    [InlineData("008-apis-rbac.authorization.k8s.io-v1", "/apis/rbac.authorization.k8s.io/v1")]
    [InlineData("009-apis-apiextensions.k8s.io-v1", "/apis/apiextensions.k8s.io/v1")]
    [InlineData("010-apis-coordination.k8s.io-v1", "/apis/coordination.k8s.io/v1")]
    [InlineData("011-apis-autoscaling-v2", "/apis/autoscaling/v2")]
    [InlineData("012-apis-policy-v1", "/apis/policy/v1")]
    [InlineData("013-apis-storage.k8s.io-v1", "/apis/storage.k8s.io/v1")]
    [InlineData("014-apis-apiregistration.k8s.io-v1", "/apis/apiregistration.k8s.io/v1")]
    public async Task Discovery_RecordedGroupVersion_ServesSameResources(string exchange, string path)
    {
        var recorded = RecordedExchange.Load(exchange);
        var response = await client.GetAsync(path);

        Assert.Equal(recorded.StatusCode, response.StatusCode);
        Assert.Equal(Keys(recorded.Json!), Keys(response.Json));
        var ours = response.Json["resources"]!.AsArray().ToDictionary(r => (string)r!["name"]!);
        foreach (var entry in recorded.Json!["resources"]!.AsArray())
        {
            var name = (string)entry!["name"]!;
            Assert.True(ours.TryGetValue(name, out var mine), $"{path} lacks {name}");
            Assert.True(JsonNode.DeepEquals(entry, mine), $"{name}: recorded {entry.ToJsonString()} but served {mine!.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("001-version", "/version")]
    [InlineData("002-api", "/api")]
    [InlineData("004-apis", "/apis")]
    public async Task Discovery_RootDocuments_MatchRecordedShape(string exchange, string path)
    {
        var recorded = RecordedExchange.Load(exchange);
        var response = await client.GetAsync(path);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(Keys(recorded.Json!), Keys(response.Json));
        if (exchange == "004-apis")
        {
            Assert.True(JsonNode.DeepEquals(recorded.Json, response.Json), response.Body);
        }
    }

    [Fact]
    public async Task Discovery_UnknownGroupVersion_AnswersRecordedPlainText404()
    {
        var recorded = RecordedExchange.Load("015-unknown-group-version");
        var response = await client.GetAsync("/apis/example.com/v1");

        Assert.Equal((recorded.StatusCode, recorded.ContentType, recorded.Body), (response.StatusCode, response.ContentType, response.Body));
    }

    [Fact]
    public async Task Get_UnknownResourceInKnownGroup_AnswersRecordedStatus()
    {
        var response = await client.GetAsync("/apis/apps/v1/namespaces/fixtures/widgets");

        AssertSameStatus("047-unknown-resource", response);
    }

    [Fact]
    public async Task Apply_RecordedDeploymentSequence_MatchesRecordedBehaviour()
    {
        var ns = await client.ApplyAsync("/api/v1/namespaces/fixtures?fieldManager=ferry&force=true", RecordedExchange.Request("016-ssa-create-namespace"));
        AssertSameObjectShape("016-ssa-create-namespace", ns);

        var dryRun = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry&force=true&dryRun=All", RecordedExchange.Request("017-ssa-dryrun-create-deployment"));
        AssertSameObjectShape("017-ssa-dryrun-create-deployment", dryRun);
        AssertSameStatus("018-get-missing-deployment", await client.GetAsync($"{Deployments}/web"));

        var created = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry&force=true", RecordedExchange.Request("019-ssa-create-deployment"));
        AssertSameObjectShape("019-ssa-create-deployment", created);
        var recorded = RecordedExchange.Load("019-ssa-create-deployment").Json!;
        Assert.True(JsonNode.DeepEquals(recorded["spec"], created.Json["spec"]), created.Json["spec"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(recorded["metadata"]!["managedFields"]![0]!["fieldsV1"], created.Json["metadata"]!["managedFields"]![0]!["fieldsV1"]));
        var createdVersion = (string)created.Json["metadata"]!["resourceVersion"]!;

        var noop = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry&force=true", RecordedExchange.Request("020-ssa-noop-deployment"));
        Assert.Equal(200, noop.StatusCode);
        Assert.Equal(createdVersion, (string)noop.Json["metadata"]!["resourceVersion"]!);
        Assert.Equal(1, (int)noop.Json["metadata"]!["generation"]!);

        var predicted = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry&force=true&dryRun=All", RecordedExchange.Request("021-ssa-dryrun-update-deployment"));
        Assert.Equal(200, predicted.StatusCode);
        Assert.Equal(2, (int)predicted.Json["metadata"]!["generation"]!);
        Assert.Equal(createdVersion, (string)predicted.Json["metadata"]!["resourceVersion"]!);
        Assert.Equal(1, (int)simulator.GetObject("apps/v1", "Deployment", "fixtures", "web")!["metadata"]!["generation"]!);

        var updated = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry&force=true", RecordedExchange.Request("022-ssa-update-deployment"));
        AssertSameObjectShape("022-ssa-update-deployment", updated);
        Assert.Equal(2, (int)updated.Json["metadata"]!["generation"]!);
        Assert.True(long.Parse((string)updated.Json["metadata"]!["resourceVersion"]!) > long.Parse(createdVersion));
        Assert.Equal("nginx:1.26", (string)updated.Json["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!);

        var conflict = await client.ApplyAsync($"{Deployments}/web?fieldManager=someone-else", RecordedExchange.Request("023-ssa-conflict-deployment"));
        AssertSameStatus("023-ssa-conflict-deployment", conflict);

        var forced = await client.ApplyAsync($"{Deployments}/web?fieldManager=someone-else&force=true", RecordedExchange.Request("024-ssa-force-other-manager"));
        Assert.Equal(200, forced.StatusCode);
        Assert.Equal(5, (int)forced.Json["spec"]!["replicas"]!);
        Assert.Equal(3, (int)forced.Json["metadata"]!["generation"]!);
        var recordedForce = RecordedExchange.Load("024-ssa-force-other-manager").Json!["metadata"]!["managedFields"]!.AsArray();
        var managers = forced.Json["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal(["ferry", "someone-else"], managers.Select(m => (string)m!["manager"]!));
        Assert.True(JsonNode.DeepEquals(recordedForce[0]!["fieldsV1"], managers[0]!["fieldsV1"]), managers[0]!["fieldsV1"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(recordedForce[1]!["fieldsV1"], managers[1]!["fieldsV1"]));
    }

    [Fact]
    public async Task Apply_SelectorNotMatchingTemplate_AnswersRecordedInvalid()
    {
        await CreateNamespaceAsync("fixtures");

        var response = await client.ApplyAsync($"{Deployments}/bad?fieldManager=ferry&force=true", RecordedExchange.Request("026-ssa-invalid-deployment"));

        AssertSameStatus("026-ssa-invalid-deployment", response);
    }

    [Fact]
    public async Task Apply_UndeclaredField_AnswersRecordedSchemaError()
    {
        await CreateNamespaceAsync("fixtures");

        var response = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry&force=true&fieldValidation=Strict", RecordedExchange.Request("027-ssa-unknown-field-strict"));

        AssertSameStatus("027-ssa-unknown-field-strict", response);
    }

    [Fact]
    public async Task Apply_MalformedYaml_AnswersBadRequest()
    {
        await CreateNamespaceAsync("fixtures");
        var recorded = RecordedExchange.Load("028-ssa-malformed-yaml").Json!;

        var response = await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry", RecordedExchange.Request("028-ssa-malformed-yaml"));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(Keys(recorded), Keys(response.Json));
        Assert.Equal("BadRequest", (string)response.Json["reason"]!);
        Assert.StartsWith("error decoding YAML: error converting YAML to JSON: yaml: line ", (string)response.Json["message"]!);
    }

    [Fact]
    public async Task Apply_Service_FillsRecordedDefaults()
    {
        await CreateNamespaceAsync("fixtures");
        var recorded = RecordedExchange.Load("029-ssa-create-service").Json!;

        var response = await client.ApplyAsync("/api/v1/namespaces/fixtures/services/web?fieldManager=ferry&force=true", RecordedExchange.Request("029-ssa-create-service"));

        AssertSameObjectShape("029-ssa-create-service", response);
        Assert.Equal(Keys(recorded["spec"]!.AsObject()), Keys(response.Json["spec"]!.AsObject()));
        Assert.True(JsonNode.DeepEquals(recorded["spec"]!["ports"], response.Json["spec"]!["ports"]));
        Assert.True(JsonNode.DeepEquals(recorded["status"], response.Json["status"]));
        Assert.True(JsonNode.DeepEquals(recorded["metadata"]!["managedFields"]![0]!["fieldsV1"], response.Json["metadata"]!["managedFields"]![0]!["fieldsV1"]));
        Assert.Equal((string)response.Json["spec"]!["clusterIP"]!, (string)response.Json["spec"]!["clusterIPs"]![0]!);
    }

    [Fact]
    public async Task Apply_SecretStringData_BecomesRecordedData()
    {
        await CreateNamespaceAsync("fixtures");
        var recorded = RecordedExchange.Load("030-ssa-create-secret-stringdata").Json!;

        var response = await client.ApplyAsync("/api/v1/namespaces/fixtures/secrets/creds?fieldManager=ferry&force=true", RecordedExchange.Request("030-ssa-create-secret-stringdata"));

        AssertSameObjectShape("030-ssa-create-secret-stringdata", response);
        Assert.True(JsonNode.DeepEquals(recorded["data"], response.Json["data"]));
        Assert.True(JsonNode.DeepEquals(recorded["metadata"]!["managedFields"]![0]!["fieldsV1"], response.Json["metadata"]!["managedFields"]![0]!["fieldsV1"]));
    }

    [Fact]
    public async Task List_WithLimit_PagesLikeRecording()
    {
        await CreateNamespaceAsync("fixtures");
        for (var i = 1; i <= 5; i++)
        {
            await client.ApplyAsync($"/api/v1/namespaces/fixtures/configmaps/cm-{i}?fieldManager=ferry", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  labels: {{ferry.dev/app: demo}}\ndata:\n  key: value-{i}\n");
        }

        await client.ApplyAsync("/api/v1/namespaces/fixtures/configmaps/other?fieldManager=ferry", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n");
        var recorded = RecordedExchange.Load("031-list-configmaps-page1").Json!;

        var page1 = await client.GetAsync("/api/v1/namespaces/fixtures/configmaps?labelSelector=ferry.dev%2Fapp%3Ddemo&limit=2");
        var token = Uri.EscapeDataString((string)page1.Json["metadata"]!["continue"]!);
        var page2 = await client.GetAsync($"/api/v1/namespaces/fixtures/configmaps?labelSelector=ferry.dev%2Fapp%3Ddemo&limit=2&continue={token}");
        var page3 = await client.GetAsync($"/api/v1/namespaces/fixtures/configmaps?labelSelector=ferry.dev%2Fapp%3Ddemo&limit=2&continue={Uri.EscapeDataString((string)page2.Json["metadata"]!["continue"]!)}");

        Assert.Equal(Keys(recorded), Keys(page1.Json));
        Assert.Equal(Keys(recorded["metadata"]!.AsObject()), Keys(page1.Json["metadata"]!.AsObject()));
        Assert.Equal(Keys(recorded["items"]![0]!.AsObject()), Keys(page1.Json["items"]![0]!.AsObject()));
        Assert.Equal(Keys(recorded["items"]![0]!["metadata"]!.AsObject()), Keys(page1.Json["items"]![0]!["metadata"]!.AsObject()));
        Assert.Equal("ConfigMapList", (string)page1.Json["kind"]!);
        Assert.Equal(["cm-1", "cm-2"], Names(page1));
        Assert.Equal(["cm-3", "cm-4"], Names(page2));
        Assert.Equal(["cm-5"], Names(page3));
        Assert.Null(page3.Json["metadata"]!["continue"]);
    }

    [Fact]
    public async Task List_AllNamespaces_MatchesRecordedShape()
    {
        foreach (var ns in new[] { "a", "b" })
        {
            await CreateNamespaceAsync(ns);
            await client.ApplyAsync($"/apis/apps/v1/namespaces/{ns}/deployments/web?fieldManager=ferry", RecordedExchange.Request("019-ssa-create-deployment").Replace("namespace: fixtures", $"namespace: {ns}", StringComparison.Ordinal));
        }

        var recorded = RecordedExchange.Load("033-list-deployments-all-namespaces").Json!;
        var response = await client.GetAsync("/apis/apps/v1/deployments?labelSelector=app%3Dweb");

        Assert.Equal(Keys(recorded), Keys(response.Json));
        Assert.Equal(Keys(recorded["metadata"]!.AsObject()), Keys(response.Json["metadata"]!.AsObject()));
        Assert.Equal(["a", "b"], response.Json["items"]!.AsArray().Select(i => (string)i!["metadata"]!["namespace"]!));
    }

    [Fact]
    public async Task Apply_CustomResourceDefinition_AddsDiscoveryAndServesCustomResources()
    {
        await CreateNamespaceAsync("fixtures");
        Assert.Equal(404, (await client.GetAsync("/apis/example.com/v1")).StatusCode);

        var crd = await client.ApplyAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com?fieldManager=ferry&force=true", RecordedExchange.Request("034-ssa-create-crd"));
        AssertSameObjectShape("034-ssa-create-crd", crd);
        Assert.True(JsonNode.DeepEquals(RecordedExchange.Load("034-ssa-create-crd").Json!["status"], crd.Json["status"]));

        var apis = await client.GetAsync("/apis");
        Assert.True(JsonNode.DeepEquals(RecordedExchange.Load("035-apis-after-crd").Json, apis.Json), apis.Body);
        var groupVersion = await client.GetAsync("/apis/example.com/v1");
        Assert.True(JsonNode.DeepEquals(RecordedExchange.Load("036-apis-example.com-v1").Json, groupVersion.Json), groupVersion.Body);

        var widget = await client.ApplyAsync("/apis/example.com/v1/namespaces/fixtures/widgets/w1?fieldManager=ferry&force=true", RecordedExchange.Request("037-ssa-create-custom-resource"));
        AssertSameObjectShape("037-ssa-create-custom-resource", widget);
        Assert.Equal(Keys(RecordedExchange.Load("037-ssa-create-custom-resource").Json!), widget.Json.Select(p => p.Key).ToList());
    }

    [Fact]
    public async Task CreateAndUpdate_Lease_AnswersRecordedCreatedConflictAndStale()
    {
        await CreateNamespaceAsync("fixtures");
        client.UserAgent = "curl/8.0";
        const string Leases = "/apis/coordination.k8s.io/v1/namespaces/fixtures/leases";

        var created = await client.SendAsync("POST", Leases, "application/json", RecordedExchange.Request("038-create-lease"));
        var again = await client.SendAsync("POST", Leases, "application/json", RecordedExchange.Request("039-create-lease-again"));
        var stale = await client.SendAsync("PUT", $"{Leases}/ferry-app-demo", "application/json", RecordedExchange.Request("040-update-lease-stale"));

        AssertSameObjectShape("038-create-lease", created);
        Assert.True(JsonNode.DeepEquals(RecordedExchange.Load("038-create-lease").Json!["metadata"]!["managedFields"]![0]!["fieldsV1"], created.Json["metadata"]!["managedFields"]![0]!["fieldsV1"]));
        Assert.Equal("curl", (string)created.Json["metadata"]!["managedFields"]![0]!["manager"]!);
        AssertSameStatus("039-create-lease-again", again);
        AssertSameStatus("040-update-lease-stale", stale);
    }

    [Fact]
    public async Task Request_WrongToken_AnswersRecordedUnauthorized()
    {
        client.Token = "wrong";

        var response = await client.GetAsync("/api/v1/namespaces");

        AssertSameStatus("043-unauthorized", response);
    }

    [Fact]
    public async Task Delete_ForegroundPlainAndMissing_AnswerAsRecorded()
    {
        await CreateNamespaceAsync("fixtures");
        await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry", RecordedExchange.Request("019-ssa-create-deployment"));
        await client.ApplyAsync("/api/v1/namespaces/fixtures/configmaps/cm-1?fieldManager=ferry", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-1\n");

        var foreground = await client.SendAsync("DELETE", $"{Deployments}/web", "application/json", RecordedExchange.Request("044-delete-deployment-foreground"));
        var plain = await client.SendAsync("DELETE", "/api/v1/namespaces/fixtures/configmaps/cm-1");
        var missing = await client.SendAsync("DELETE", "/api/v1/namespaces/fixtures/configmaps/nope");

        AssertSameObjectShape("044-delete-deployment-foreground", foreground);
        Assert.Equal(["foregroundDeletion"], foreground.Json["metadata"]!["finalizers"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(2, (int)foreground.Json["metadata"]!["generation"]!);
        Assert.Equal(404, (await client.GetAsync($"{Deployments}/web")).StatusCode);
        var recordedPlain = RecordedExchange.Load("045-delete-configmap").Json!;
        Assert.Equal(Keys(recordedPlain), Keys(plain.Json));
        Assert.Equal(Keys(recordedPlain["details"]!.AsObject()), Keys(plain.Json["details"]!.AsObject()));
        Assert.Equal("Success", (string)plain.Json["status"]!);
        AssertSameStatus("046-delete-missing", missing);
    }

    private async Task CreateNamespaceAsync(string name)
    {
        var response = await client.ApplyAsync($"/api/v1/namespaces/{name}?fieldManager=ferry", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n");
        Assert.Equal(201, response.StatusCode);
    }

    private static List<string> Names(SimulatorResponse list) =>
        list.Json["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToList();

    private static List<string> Keys(JsonNode node) => node.AsObject().Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>Same status code, content type and exact Status body as the recording.</summary>
    private static void AssertSameStatus(string exchange, SimulatorResponse response)
    {
        var recorded = RecordedExchange.Load(exchange);
        Assert.Equal(recorded.StatusCode, response.StatusCode);
        Assert.Equal(recorded.ContentType, response.ContentType);
        Assert.True(JsonNode.DeepEquals(recorded.Json, response.Json), $"recorded {recorded.Json!.ToJsonString()}\nserved   {response.Body}");
    }

    /// <summary>Same status code and content type; same top-level and metadata keys; same managers in managedFields.</summary>
    private static void AssertSameObjectShape(string exchange, SimulatorResponse response)
    {
        var recorded = RecordedExchange.Load(exchange);
        var expected = recorded.Json!.AsObject();
        Assert.Equal(recorded.StatusCode, response.StatusCode);
        Assert.Equal(recorded.ContentType, response.ContentType);
        Assert.Equal(new Version(2, 0), response.Version);
        var actual = response.Json;
        Assert.Equal(Keys(expected), Keys(actual));
        Assert.Equal(Keys(expected["metadata"]!.AsObject()), Keys(actual["metadata"]!.AsObject()));
        Assert.Equal((string?)expected["kind"], (string?)actual["kind"]);
        var expectedManagers = (expected["metadata"]!["managedFields"] as JsonArray)?.Select(m => Keys(m!.AsObject())).ToList();
        var actualManagers = (actual["metadata"]!["managedFields"] as JsonArray)?.Select(m => Keys(m!.AsObject())).ToList();
        if (expectedManagers is not null && !expectedManagers.Any(k => k.Contains("subresource")))
        {
            Assert.Equal(expectedManagers, actualManagers);
        }
    }
}
