using System.Text.Json.Nodes;

namespace Ferry.Core.Tests.Simulator;

/// <summary>Behaviour beyond the recording: selectors, cascades, dry runs, status helpers, concurrency, faults.</summary>
public sealed partial class KubeSimulatorTests
{
    [Theory]
    [InlineData("equals", "tier=web", "a")]
    [InlineData("double-equals", "tier==web", "a")]
    [InlineData("not-equals", "tier!=web", "b,c")]
    [InlineData("in", "tier in (web,db)", "a,b")]
    [InlineData("notin", "tier notin (web)", "b,c")]
    [InlineData("exists", "tier", "a,b")]
    [InlineData("not-exists", "!tier", "c")]
    [InlineData("and", "tier,env=prod", "b")]
    public async Task List_LabelSelector_SelectsMatchingObjects(string row, string selector, string expected)
    {
        await CreateNamespaceAsync("sel");
        await ConfigMapAsync("sel", "a", "tier: web");
        await ConfigMapAsync("sel", "b", "tier: db\n    env: prod");
        await ConfigMapAsync("sel", "c", "env: prod");

        var response = await client.GetAsync($"/api/v1/namespaces/sel/configmaps?labelSelector={Uri.EscapeDataString(selector)}");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(expected.Split(','), Names(response));
    }

    [Fact]
    public async Task List_MalformedSelector_AnswersBadRequest()
    {
        var response = await client.GetAsync($"/api/v1/configmaps?labelSelector={Uri.EscapeDataString("tier in web")}");

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("BadRequest", (string)response.Json["reason"]!);
    }

    [Fact]
    public async Task Delete_Namespace_RemovesItsObjects()
    {
        await CreateNamespaceAsync("doomed");
        await CreateNamespaceAsync("kept");
        await ConfigMapAsync("doomed", "x", "a: b");
        await ConfigMapAsync("kept", "y", "a: b");

        var response = await client.SendAsync("DELETE", "/api/v1/namespaces/doomed");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Terminating", (string)response.Json["status"]!["phase"]!);
        Assert.Null(simulator.GetObject("v1", "ConfigMap", "doomed", "x"));
        Assert.Null(simulator.GetObject("v1", "Namespace", null, "doomed"));
        Assert.NotNull(simulator.GetObject("v1", "ConfigMap", "kept", "y"));
    }

    [Fact]
    public async Task Apply_MissingNamespace_AnswersNotFound()
    {
        var response = await client.ApplyAsync("/api/v1/namespaces/absent/configmaps/x?fieldManager=ferry", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("namespaces \"absent\" not found", (string)response.Json["message"]!);
    }

    [Fact]
    public async Task Apply_DryRun_PersistsNothing()
    {
        await CreateNamespaceAsync("dry");
        var before = (await client.GetAsync("/api/v1/namespaces/dry/configmaps")).Json["metadata"]!["resourceVersion"]!.GetValue<string>();

        var created = await client.ApplyAsync("/api/v1/namespaces/dry/configmaps/x?fieldManager=ferry&dryRun=All", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {a: b}\n");
        var after = (await client.GetAsync("/api/v1/namespaces/dry/configmaps")).Json;

        Assert.Equal(201, created.StatusCode);
        Assert.Equal("b", (string)created.Json["data"]!["a"]!);
        Assert.Null(simulator.GetObject("v1", "ConfigMap", "dry", "x"));
        Assert.Empty(after["items"]!.AsArray());
        Assert.Equal(before, after["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal(0, simulator.Requests.Snapshot().Count(r => r.IsMutating && r.Path.Contains("/configmaps/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Apply_FieldDroppedFromConfig_IsRemoved()
    {
        await CreateNamespaceAsync("prune");
        await ConfigMapAsync("prune", "x", "a: one\n    b: two");

        await ConfigMapAsync("prune", "x", "a: one");

        var live = simulator.GetObject("v1", "ConfigMap", "prune", "x")!;
        Assert.Equal(["a"], live["metadata"]!["labels"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task CompleteRollout_Deployment_WritesAvailableStatusOnce()
    {
        await CreateNamespaceAsync("fixtures");
        await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry", RecordedExchange.Request("019-ssa-create-deployment"));

        var done = simulator.CompleteRollout("Deployment", "fixtures", "web");
        var again = simulator.CompleteRollout("Deployment", "fixtures", "web");

        var status = done["status"]!;
        Assert.Equal(1, (int)status["observedGeneration"]!);
        Assert.Equal(2, (int)status["availableReplicas"]!);
        Assert.Equal(["Available:True:MinimumReplicasAvailable", "Progressing:True:NewReplicaSetAvailable"], Conditions(status));
        Assert.Equal((string)done["metadata"]!["resourceVersion"]!, (string)again["metadata"]!["resourceVersion"]!);
        Assert.Contains(done["metadata"]!["managedFields"]!.AsArray(), m => (string?)m!["subresource"] == "status" && (string?)m["manager"] == "kube-controller-manager");
    }

    [Fact]
    public async Task FailRollout_Deployment_WritesProgressDeadlineExceeded()
    {
        await CreateNamespaceAsync("fixtures");
        await client.ApplyAsync($"{Deployments}/web?fieldManager=ferry", RecordedExchange.Request("019-ssa-create-deployment"));

        var failed = simulator.FailRollout("fixtures", "web");

        Assert.Equal(["Available:False:MinimumReplicasUnavailable", "Progressing:False:ProgressDeadlineExceeded"], Conditions(failed["status"]!));
    }

    [Fact]
    public async Task JobAndPodHelpers_WriteTerminalStatus()
    {
        await CreateNamespaceAsync("jobs");
        const string Job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {0}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {{name: c, image: busybox}}\n";
        await client.ApplyAsync("/apis/batch/v1/namespaces/jobs/jobs/ok?fieldManager=ferry", string.Format(System.Globalization.CultureInfo.InvariantCulture, Job, "ok"));
        await client.ApplyAsync("/apis/batch/v1/namespaces/jobs/jobs/bad?fieldManager=ferry", string.Format(System.Globalization.CultureInfo.InvariantCulture, Job, "bad"));
        await client.ApplyAsync("/api/v1/namespaces/jobs/pods/p?fieldManager=ferry", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - {name: c, image: nginx}\n");

        var ok = simulator.CompleteJob("jobs", "ok");
        var bad = simulator.FailJob("jobs", "bad", "boom");
        var pod = simulator.SetPodPhase("jobs", "p", "Running");

        Assert.Equal("Complete", (string)ok["status"]!["conditions"]![0]!["type"]!);
        Assert.Equal(1, (int)ok["status"]!["succeeded"]!);
        Assert.Equal("boom", (string)bad["status"]!["conditions"]![0]!["message"]!);
        Assert.Equal("Running", (string)pod["status"]!["phase"]!);
        Assert.Equal("Running", (string)simulator.GetObject("v1", "Pod", "jobs", "p")!["status"]!["phase"]!);
    }

    [Fact]
    public async Task Apply_TwoHundredInParallel_AllLand()
    {
        await CreateNamespaceAsync("bulk");
        var versions = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var response = await client.ApplyAsync($"/api/v1/namespaces/bulk/configmaps/cm-{i:D3}?fieldManager=ferry", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:D3}\ndata: {{i: \"{i}\"}}\n");
            Assert.Equal(201, response.StatusCode);
            return (string)response.Json["metadata"]!["resourceVersion"]!;
        }));

        var list = await client.GetAsync("/api/v1/namespaces/bulk/configmaps");
        Assert.Equal(200, list.Json["items"]!.AsArray().Count);
        Assert.Equal(200, versions.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"cm-{i:D3}"), Names(list));
    }

    [Fact]
    public async Task FailNext_MatchingRequest_FailsOnceThenSucceeds()
    {
        simulator.FailNext(r => r.Method == "GET" && r.Path == "/api/v1/namespaces", 503, "ServiceUnavailable");

        var failed = await client.GetAsync("/api/v1/namespaces");
        var ok = await client.GetAsync("/api/v1/namespaces");

        Assert.Equal(503, failed.StatusCode);
        Assert.Equal("ServiceUnavailable", (string)failed.Json["reason"]!);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal([503, 200], simulator.Requests.Snapshot().Where(r => r.Path == "/api/v1/namespaces").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task UpdateObject_OtherManager_ShowsAsDriftAndConflict()
    {
        await CreateNamespaceAsync("drift");
        await ConfigMapAsync("drift", "x", "a: one");

        simulator.UpdateObject("v1", "ConfigMap", "drift", "x", o => o["metadata"]!["labels"]!["a"] = "two");
        var conflict = await client.ApplyAsync("/api/v1/namespaces/drift/configmaps/x?fieldManager=ferry", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    a: one\n");

        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal("conflict with \"kubectl-edit\" using v1", (string)conflict.Json["details"]!["causes"]![0]!["message"]!);
        Assert.Equal(".metadata.labels.a", (string)conflict.Json["details"]!["causes"]![0]!["field"]!);
    }

    [Fact]
    public void WriteKubeconfig_WritesServerCaAndToken()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ferry-sim-{Guid.NewGuid():N}.yaml");
        try
        {
            simulator.WriteKubeconfig(path);

            var config = Ferry.Core.Yaml.YamlReader.ReadOne(File.ReadAllText(path), path)!;
            var cluster = config["clusters"]![0]!["cluster"]!;
            Assert.Equal(simulator.BaseAddress.GetLeftPart(UriPartial.Authority), (string)cluster["server"]!);
            Assert.Equal(simulator.CertificateAuthorityPem, System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)cluster["certificate-authority-data"]!)));
            Assert.Equal("test-token", (string)config["users"]![0]!["user"]!["token"]!);
            Assert.Equal("ferry-simulator", (string)config["current-context"]!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task ConfigMapAsync(string ns, string name, string labels)
    {
        var response = await client.ApplyAsync($"/api/v1/namespaces/{ns}/configmaps/{name}?fieldManager=ferry", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n    {labels}\n");
        Assert.True(response.StatusCode is 200 or 201, response.Body);
    }

    private static List<string> Conditions(JsonNode status) =>
        status["conditions"]!.AsArray().Select(c => $"{(string)c!["type"]!}:{(string)c["status"]!}:{(string)c["reason"]!}").ToList();
}
