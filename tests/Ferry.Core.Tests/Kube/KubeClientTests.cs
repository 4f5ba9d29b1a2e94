using System.Text.Json.Nodes;
using Ferry.Core.Kube;
using Ferry.Core.Tests.TestSupport;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Kube;

/// <summary>The client against every recorded kube-apiserver exchange, replayed by a real HTTP listener.</summary>
public sealed class KubeClientTests : IAsyncLifetime
{
    private const string Token = "replay-token-abc123";
    private static readonly ApiResource Deployments = new("apps", "v1", "Deployment", "deployments", true, ["get", "list", "patch"]);
    private static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "ConfigMap", "configmaps", true, ["get", "list", "delete"]);
    private static readonly ApiResource Leases = new("coordination.k8s.io", "v1", "Lease", "leases", true, ["create", "update"]);

    private KubeReplayServer _server = null!;
    private KubeClient _client = null!;
    private readonly List<KubeRequestInfo> _calls = [];

    public async Task InitializeAsync()
    {
        _server = await KubeReplayServer.StartAsync();
        _server.MapDiscovery();
        _client = KubeClientFactory.FromToken(_server.Url, Token, options: TestOptions(info => { lock (_calls) _calls.Add(info); }));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    internal static KubeClientOptions TestOptions(Action<KubeRequestInfo>? onRequest = null) => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
        MaxRetries = 3,
        OnRequest = onRequest,
    };

    [Fact]
    public async Task GetServerVersionAsync_Recorded_ReturnsGitVersion()
    {
        Assert.Equal("v1.26.1", await _client.GetServerVersionAsync(CancellationToken.None));
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer " + Token, request.Authorization);
    }

    [Fact]
    public async Task GetApiResourcesAsync_RecordedDiscovery_ListsEveryRecordedGroupWithScopeAndVerbs()
    {
        var resources = await _client.GetApiResourcesAsync(CancellationToken.None);

        // Every group-version with a recorded document contributes; the ones /apis lists without one (404 here) are skipped.
        var groupVersions = resources.Select(r => r.ApiVersion).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(
            ["apiextensions.k8s.io/v1", "apiregistration.k8s.io/v1", "apps/v1", "autoscaling/v2", "batch/v1", "coordination.k8s.io/v1", "networking.k8s.io/v1", "policy/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1", "v1"],
            groupVersions);
        Assert.DoesNotContain(resources, r => r.Name.Contains('/', StringComparison.Ordinal));

        var deployment = Assert.Single(resources, r => r.Kind == "Deployment");
        Assert.Equal(("apps", "v1", "deployments", true), (deployment.Group, deployment.Version, deployment.Name, deployment.Namespaced));
        Assert.Equal(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], deployment.Verbs);
        var ns = Assert.Single(resources, r => r.Kind == "Namespace");
        Assert.False(ns.Namespaced);
        Assert.Equal("/api/v1/namespaces", ns.CollectionPath("ignored"));
        Assert.False(Assert.Single(resources, r => r.Kind == "ClusterRole").Namespaced);
        Assert.True(Assert.Single(resources, r => r.Kind == "Lease").Namespaced);
        Assert.Equal("horizontalpodautoscalers", Assert.Single(resources, r => r.Kind == "HorizontalPodAutoscaler").Name);
        Assert.Contains(resources, r => r.Kind == "CustomResourceDefinition" && !r.Namespaced);
        Assert.Equal(resources.OrderBy(r => r.Group, StringComparer.Ordinal).ThenBy(r => r.Version, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal), resources);
    }

    [Fact]
    public async Task GetApiResourcesAsync_CalledTwice_FetchesDiscoveryOnce()
    {
        await _client.GetApiResourcesAsync(CancellationToken.None);
        var first = _server.Requests.Count;
        await _client.GetApiResourcesAsync(CancellationToken.None);
        await _client.ResolveAsync("apps/v1", "Deployment", CancellationToken.None);

        Assert.Equal(first, _server.Requests.Count);
        Assert.Equal(1, _server.Requests.Count(r => r.Target == "/apis/apps/v1"));
    }

    [Fact]
    public async Task ResolveAsync_ConcurrentCallers_ShareOneDiscoveryRequest()
    {
        var all = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => _client.ResolveAsync("apps/v1", "Deployment", CancellationToken.None)));

        Assert.All(all, r => Assert.Equal("deployments", r.Name));
        Assert.Equal(1, _server.Requests.Count(r => r.Target == "/apis/apps/v1"));
    }

    [Fact]
    public async Task ResolveAsync_UnknownGroupVersion_ThrowsUnknownKindNamingIt()
    {
        _server.Map("GET", "/apis/example.com/v1", "015-unknown-group-version");

        var ex = await Assert.ThrowsAsync<UnknownKindException>(() => _client.ResolveAsync("example.com/v1", "Widget", CancellationToken.None));

        Assert.Equal(("example.com/v1", "Widget"), (ex.ApiVersion, ex.Kind));
        Assert.Contains("example.com/v1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Widget", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CustomResourceDefinition", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_UnknownKindInServedGroup_ThrowsUnknownKind()
    {
        var ex = await Assert.ThrowsAsync<UnknownKindException>(() => _client.ResolveAsync("apps/v1", "Widget", CancellationToken.None));
        Assert.Equal("apps/v1", ex.ApiVersion);
    }

    public static TheoryData<string> SuccessfulApplies => new()
    {
        "016-ssa-create-namespace",
        "017-ssa-dryrun-create-deployment",
        "019-ssa-create-deployment",
        "020-ssa-noop-deployment",
        "021-ssa-dryrun-update-deployment",
        "022-ssa-update-deployment",
        "024-ssa-force-other-manager",
        "029-ssa-create-service",
        "030-ssa-create-secret-stringdata",
        "034-ssa-create-crd",
        "037-ssa-create-custom-resource",
    };

    [Theory]
    [MemberData(nameof(SuccessfulApplies))]
    public async Task ApplyAsync_RecordedExchange_SendsTheRecordedRequestAndReturnsTheAnswer(string name)
    {
        var exchange = Exchange.Load(name);
        _server.Map("GET", "/apis/example.com/v1", "036-apis-example.com-v1");
        _server.Map(exchange.RequestMethod, exchange.RequestPath, name);
        var desired = (JsonObject)YamlReader.ReadOne(File.ReadAllText(exchange.RequestBodyFile!), exchange.RequestBodyFile!)!;

        var live = await _client.ApplyAsync(desired, OptionsOf(exchange.RequestPath), CancellationToken.None);

        var sent = _server.Requests[^1];
        Assert.Equal("PATCH", sent.Method);
        Assert.Equal(exchange.RequestPath, sent.Target);
        Assert.Equal("application/apply-patch+yaml", sent.ContentType);
        Assert.True(JsonNode.DeepEquals(desired, JsonNode.Parse(sent.Body)), sent.Body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(exchange.Body), live));
    }

    [Fact]
    public async Task ApplyAsync_FieldManagerConflict_ListsConflictingFieldsAndManagers()
    {
        var exchange = Exchange.Load("023-ssa-conflict-deployment");
        _server.Map(exchange.RequestMethod, exchange.RequestPath, exchange.Name);
        var desired = (JsonObject)YamlReader.ReadOne(File.ReadAllText(exchange.RequestBodyFile!), "023")!;

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(desired, new ApplyOptions { FieldManager = "someone-else" }, CancellationToken.None));

        Assert.Equal(exchange.RequestPath, _server.Requests[^1].Target);
        Assert.True(ex.IsConflict);
        Assert.False(ex.IsAlreadyExists);
        Assert.Equal(409, ex.StatusCode);
        Assert.Equal([new FieldManagerConflict(".spec.replicas", "ferry")], ex.FieldManagerConflicts);
    }

    [Fact]
    public async Task ApplyAsync_Invalid_CarriesCauses()
    {
        var exchange = Exchange.Load("026-ssa-invalid-deployment");
        _server.Map(exchange.RequestMethod, exchange.RequestPath, exchange.Name);
        var desired = (JsonObject)YamlReader.ReadOne(File.ReadAllText(exchange.RequestBodyFile!), "026")!;

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(desired, new ApplyOptions { Force = true }, CancellationToken.None));

        Assert.True(ex.IsInvalid);
        Assert.Equal(("Invalid", "bad", "apps", "Deployment"), (ex.Reason, ex.DetailsName, ex.DetailsGroup, ex.DetailsKind));
        var cause = Assert.Single(ex.Causes);
        Assert.Equal(("FieldValueInvalid", "spec.template.metadata.labels"), (cause.Reason, cause.Field));
        Assert.Contains("`selector` does not match template `labels`", ex.Message, StringComparison.Ordinal);
        Assert.Empty(ex.FieldManagerConflicts);
    }

    [Fact]
    public async Task ApplyAsync_StrictUnknownField_ThrowsOnceWithoutRetrying()
    {
        // The recorded server answers 500 without Retry-After: a deterministic failure, not a transient one.
        var exchange = Exchange.Load("027-ssa-unknown-field-strict");
        _server.Map(exchange.RequestMethod, exchange.RequestPath, exchange.Name);
        var desired = (JsonObject)YamlReader.ReadOne(File.ReadAllText(exchange.RequestBodyFile!), "027")!;

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(desired, new ApplyOptions { Force = true, FieldValidation = "Strict" }, CancellationToken.None));

        Assert.Equal(500, ex.StatusCode);
        Assert.Contains(".spec.replicaz: field not declared in schema", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests, r => r.Method == "PATCH");
        Assert.Equal(exchange.RequestPath, _server.Requests[^1].Target);
    }

    [Fact]
    public async Task ApplyAsync_MalformedYamlAnswer_IsBadRequest()
    {
        var exchange = Exchange.Load("028-ssa-malformed-yaml");
        _server.Map(exchange.RequestMethod, exchange.RequestPath, exchange.Name);
        var desired = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "fixtures" } };

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(desired, new ApplyOptions(), CancellationToken.None));

        Assert.True(ex.IsBadRequest);
        Assert.Equal("BadRequest", ex.Reason);
        Assert.Contains("error decoding YAML", ex.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_Forbidden_IsForbidden()
    {
        var exchange = Exchange.Load("042-forbidden-apply");
        _server.Map(exchange.RequestMethod, exchange.RequestPath, exchange.Name);
        var desired = (JsonObject)YamlReader.ReadOne(File.ReadAllText(exchange.RequestBodyFile!), "042")!;
        desired["metadata"]!["name"] = "x"; // the recorded request path names "x" while the body beside it says cm-1

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ApplyAsync(desired, new ApplyOptions(), CancellationToken.None));

        Assert.True(ex.IsForbidden);
        Assert.Equal(exchange.RequestPath, _server.Requests[^1].Target);
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        _server.Map("GET", "/apis/apps/v1/namespaces/fixtures/deployments/web", "018-get-missing-deployment");

        Assert.Null(await _client.GetAsync(Deployments, "fixtures", "web", CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_Existing_ReturnsLiveObject()
    {
        _server.Map("GET", "/apis/apps/v1/namespaces/fixtures/deployments/web", "025-get-deployment");

        var live = await _client.GetAsync(Deployments, "fixtures", "web", CancellationToken.None);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Exchange.Load("025-get-deployment").Body), live));
        Assert.Equal("GET", _server.Requests[^1].Method);
    }

    [Fact]
    public async Task ListAsync_TwoPages_FollowsContinueAndFillsApiVersionAndKind()
    {
        var page1 = Exchange.Load("031-list-configmaps-page1");
        var page2 = Exchange.Load("032-list-configmaps-page2");
        _server.Map("GET", page1.RequestPath, page1.Name);
        _server.Map("GET", page2.RequestPath, page2.Name);
        // The recording stops after page 2, whose continue token points further: end the list there with an empty last page.
        var page3Token = (string)JsonNode.Parse(page2.Body)!["metadata"]!["continue"]!;
        var page3 = page1.RequestPath + "&continue=" + page3Token;
        _server.MapRaw("GET", page3, 200, """{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"317"},"items":[]}""");

        var items = await Record(() => _client.ListAsync(ConfigMaps, "fixtures", new ListOptions { LabelSelector = "ferry.dev/app=demo", PageSize = 2 }, CancellationToken.None));

        Assert.Equal([page1.RequestPath, page2.RequestPath, page3], _server.Requests.Select(r => r.Target));
        var expected = ((JsonArray)JsonNode.Parse(page1.Body)!["items"]!).Concat((JsonArray)JsonNode.Parse(page2.Body)!["items"]!).Select(i => (string?)i!["metadata"]!["name"]);
        Assert.Equal(expected, items.Select(i => (string?)i["metadata"]!["name"]));
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.Equal(("v1", "ConfigMap"), ((string?)i["apiVersion"], (string?)i["kind"])));
    }

    [Fact]
    public async Task ListAsync_AllNamespaces_UsesClusterWidePath()
    {
        var exchange = Exchange.Load("033-list-deployments-all-namespaces");
        _server.Map("GET", exchange.RequestPath, exchange.Name);

        var items = await _client.ListAsync(Deployments, null, new ListOptions { LabelSelector = "app=web", PageSize = null }, CancellationToken.None);

        Assert.Equal(exchange.RequestPath, _server.Requests[^1].Target);
        Assert.NotEmpty(items);
        Assert.Equal(((JsonArray)JsonNode.Parse(exchange.Body)!["items"]!).Count, items.Count);
        Assert.All(items, i => Assert.Equal(("apps/v1", "Deployment"), ((string?)i["apiVersion"], (string?)i["kind"])));
    }

    [Fact]
    public async Task ListAsync_Forbidden_IsForbidden()
    {
        _server.Map("GET", "/apis/apps/v1/namespaces/fixtures/deployments", "041-forbidden");

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ListAsync(Deployments, "fixtures", new ListOptions { PageSize = null }, CancellationToken.None));

        Assert.True(ex.IsForbidden);
        Assert.Contains("cannot list resource \"deployments\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_Unauthorized_IsUnauthorizedWithoutTheToken()
    {
        var namespaces = new ApiResource(string.Empty, "v1", "Namespace", "namespaces", false, ["list"]);
        _server.Map("GET", "/api/v1/namespaces", "043-unauthorized");

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ListAsync(namespaces, null, new ListOptions { PageSize = null }, CancellationToken.None));

        Assert.True(ex.IsUnauthorized);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_ResourceTheGroupDoesNotServe_IsNotFound()
    {
        var widgets = new ApiResource("apps", "v1", "Widget", "widgets", true, ["list"]);
        _server.Map("GET", "/apis/apps/v1/namespaces/fixtures/widgets", "047-unknown-resource");

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.ListAsync(widgets, "fixtures", new ListOptions { PageSize = null }, CancellationToken.None));

        Assert.True(ex.IsNotFound);
        Assert.Equal("/apis/apps/v1/namespaces/fixtures/widgets", ex.Path);
    }

    [Fact]
    public async Task ApplyAsync_CrdThenCustomResource_DiscoveryInvalidationFindsTheNewKind()
    {
        _server.Map("GET", "/apis", "004-apis", "035-apis-after-crd");
        _server.Map("GET", "/apis/example.com/v1", "015-unknown-group-version", "015-unknown-group-version", "036-apis-example.com-v1");
        var crd = Exchange.Load("034-ssa-create-crd");
        var widget = Exchange.Load("037-ssa-create-custom-resource");
        _server.Map("PATCH", crd.RequestPath, crd.Name);
        _server.Map("PATCH", widget.RequestPath, widget.Name);
        var before = await _client.GetApiResourcesAsync(CancellationToken.None);
        await Assert.ThrowsAsync<UnknownKindException>(() => _client.ResolveAsync("example.com/v1", "Widget", CancellationToken.None));

        await _client.ApplyAsync((JsonObject)YamlReader.ReadOne(File.ReadAllText(crd.RequestBodyFile!), "034")!, new ApplyOptions { Force = true }, CancellationToken.None);
        _client.InvalidateDiscovery();
        var after = await _client.GetApiResourcesAsync(CancellationToken.None);
        var live = await _client.ApplyAsync((JsonObject)YamlReader.ReadOne(File.ReadAllText(widget.RequestBodyFile!), "037")!, new ApplyOptions { Force = true }, CancellationToken.None);

        Assert.DoesNotContain(before, r => r.Kind == "Widget");
        var widgets = Assert.Single(after, r => r.Kind == "Widget");
        Assert.Equal(("example.com", "widgets", true), (widgets.Group, widgets.Name, widgets.Namespaced));
        Assert.Equal("w1", (string?)live["metadata"]!["name"]);
        Assert.Equal(widget.RequestPath, _server.Requests[^1].Target);
    }

    [Fact]
    public async Task CreateAsync_Lease_PostsJsonAndReturnsCreated()
    {
        var exchange = Exchange.Load("038-create-lease");
        _server.Map("POST", exchange.RequestPath, exchange.Name);
        var lease = (JsonObject)JsonNode.Parse(File.ReadAllText(exchange.RequestBodyFile!))!;

        var created = await _client.CreateAsync(Leases, "fixtures", lease, CancellationToken.None);

        var sent = _server.Requests[^1];
        Assert.Equal(("POST", exchange.RequestPath, "application/json"), (sent.Method, sent.Target, sent.ContentType));
        Assert.True(JsonNode.DeepEquals(lease, JsonNode.Parse(sent.Body)));
        Assert.Equal("323", (string?)created["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task CreateAsync_LeaseExists_IsAlreadyExistsNotConflict()
    {
        var exchange = Exchange.Load("039-create-lease-again");
        _server.Map("POST", exchange.RequestPath, exchange.Name);
        var lease = (JsonObject)JsonNode.Parse(File.ReadAllText(exchange.RequestBodyFile!))!;

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.CreateAsync(Leases, "fixtures", lease, CancellationToken.None));

        Assert.True(ex.IsAlreadyExists);
        Assert.False(ex.IsConflict);
        Assert.Equal("ferry-app-demo", ex.DetailsName);
    }

    [Fact]
    public async Task UpdateAsync_StaleLease_IsConflict()
    {
        var exchange = Exchange.Load("040-update-lease-stale");
        _server.Map("PUT", exchange.RequestPath, exchange.Name);
        var lease = (JsonObject)JsonNode.Parse(File.ReadAllText(exchange.RequestBodyFile!))!;

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => _client.UpdateAsync(Leases, null, lease, CancellationToken.None));

        var sent = _server.Requests[^1];
        Assert.Equal(("PUT", exchange.RequestPath, "application/json"), (sent.Method, sent.Target, sent.ContentType));
        Assert.True(JsonNode.DeepEquals(lease, JsonNode.Parse(sent.Body)));
        Assert.True(ex.IsConflict);
        Assert.Contains("the object has been modified", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_Foreground_SendsDeleteOptionsBody()
    {
        var exchange = Exchange.Load("044-delete-deployment-foreground");
        _server.Map("DELETE", exchange.RequestPath, exchange.Name);

        var deleted = await _client.DeleteAsync(Deployments, "fixtures", "web", new DeleteOptions { PropagationPolicy = "Foreground" }, CancellationToken.None);

        var sent = _server.Requests[^1];
        Assert.True(deleted);
        Assert.Equal(("DELETE", exchange.RequestPath, "application/json"), (sent.Method, sent.Target, sent.ContentType));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(exchange.RequestBodyFile!)), JsonNode.Parse(sent.Body)), sent.Body);
    }

    [Fact]
    public async Task DeleteAsync_Preconditions_SendsThemInTheBody()
    {
        var exchange = Exchange.Load("045-delete-configmap");
        _server.Map("DELETE", exchange.RequestPath, exchange.Name);

        await _client.DeleteAsync(ConfigMaps, "fixtures", "cm-1", new DeleteOptions { PreconditionUid = "u-1", PreconditionResourceVersion = "311", DryRun = true }, CancellationToken.None);

        var body = JsonNode.Parse(_server.Requests[^1].Body)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"u-1","resourceVersion":"311"},"dryRun":["All"]}"""), body), body.ToJsonString());
    }

    [Fact]
    public async Task DeleteAsync_Plain_SendsNoBodyAndReturnsTrue()
    {
        var exchange = Exchange.Load("045-delete-configmap");
        _server.Map("DELETE", exchange.RequestPath, exchange.Name);

        Assert.True(await _client.DeleteAsync(ConfigMaps, "fixtures", "cm-1", new DeleteOptions(), CancellationToken.None));
        Assert.Equal(string.Empty, _server.Requests[^1].Body);
    }

    [Fact]
    public async Task DeleteAsync_Missing_ReturnsFalse()
    {
        var exchange = Exchange.Load("046-delete-missing");
        _server.Map("DELETE", exchange.RequestPath, exchange.Name);

        Assert.False(await _client.DeleteAsync(ConfigMaps, "fixtures", "nope", new DeleteOptions(), CancellationToken.None));
    }

    private async Task<T> Record<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (KubeApiException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}; requests: {string.Join(", ", _server.Requests.Select(r => r.Target))}");
        }
    }

    private static ApplyOptions OptionsOf(string pathAndQuery)
    {
        var query = pathAndQuery.Split('?')[1].Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
        return new ApplyOptions
        {
            FieldManager = query["fieldManager"],
            Force = query.GetValueOrDefault("force") == "true",
            DryRun = query.GetValueOrDefault("dryRun") == "All",
            FieldValidation = query.GetValueOrDefault("fieldValidation"),
        };
    }
}
