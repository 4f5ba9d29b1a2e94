using System.Net;
using System.Text.Json.Nodes;
using Ferry.Core.Status;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Web;

/// <summary>
/// The tree, resource and action routes on <c>ferry serve</c> against a real sync: a real Git repository, the in-memory API server, the
/// queue and workers. Controllers' objects (ReplicaSets, Pods, Jobs) are created by the test with ownerReferences, as the controllers would.
/// </summary>
public sealed class AppApiTests
{
    internal const string Shop = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: shop
        spec:
          source: { repoURL: "{{repo}}", path: shop, targetRevision: main }
          destination: { server: "https://kubernetes.default.svc", namespace: shop }
          syncPolicy:
            automated: { prune: true }
            syncOptions: [CreateNamespace=true]
        """;

    internal const string Manual = """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: manual
        spec:
          source: { repoURL: "{{repo}}", path: manual, targetRevision: main }
          destination: { server: "https://kubernetes.default.svc", namespace: manual }
          syncPolicy:
            syncOptions: [CreateNamespace=true]
        """;

    internal static readonly Dictionary<string, string> Files = new()
    {
        ["shop/deploy.yaml"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: web }
            spec:
              replicas: 2
              selector: { matchLabels: { app: web } }
              template:
                metadata: { labels: { app: web } }
                spec: { containers: [{ name: web, image: "nginx:1.27" }] }
            """,
        ["shop/cron.yaml"] = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: { name: report }
            spec:
              schedule: "0 * * * *"
              jobTemplate:
                spec:
                  template:
                    spec: { restartPolicy: Never, containers: [{ name: report, image: "busybox:1.36" }] }
            """,
        ["shop/secret.yaml"] = """
            apiVersion: v1
            kind: Secret
            metadata: { name: db }
            stringData: { password: hunter2-very-secret }
            """,
        ["shop/settings.yaml"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: settings }
            data: { color: blue }
            """,
        ["manual/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: greeting }\ndata: { text: hello }\n",
    };

    [Fact]
    public async Task Tree_AfterASync_NestsOwnedObjectsUnderTheirOwnersWithHealth_AndLeavesOthersOut()
    {
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["shop.yaml"] = Shop }, Files);
        await ferry.WaitForAsync("shop", e => e.Applied);
        var deployment = ferry.Simulator.GetObject("apps/v1", "Deployment", "shop", "web")!;
        var cron = ferry.Simulator.GetObject("batch/v1", "CronJob", "shop", "report")!;
        var replicaSet = await CreateOwnedAsync(ferry, "apps/v1", "ReplicaSet", "web-5d4f8", deployment, """{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}""");
        await CreateOwnedAsync(ferry, "v1", "Pod", "web-5d4f8-b", replicaSet, PodSpec);
        await CreateOwnedAsync(ferry, "v1", "Pod", "web-5d4f8-a", replicaSet, PodSpec);
        var job = await CreateOwnedAsync(ferry, "batch/v1", "Job", "report-2890", cron, """{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"report","image":"busybox:1.36"}]}}}""");
        await CreateOwnedAsync(ferry, "v1", "Pod", "report-2890-x", job, PodSpec);
        await CreateOwnedAsync(ferry, "v1", "Pod", "stray", null, PodSpec);
        ferry.Simulator.SetPodPhase("shop", "web-5d4f8-b", "Pending");

        using var response = await ferry.Client.GetAsync("/api/apps/shop/tree");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tree = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("shop", (string?)tree["app"]);
        var nodes = tree["nodes"]!.AsArray();
        Assert.Equal(["ConfigMap/settings", "Secret/db", "Deployment/web", "CronJob/report"], nodes.Select(n => $"{n!["kind"]}/{n["name"]}"));
        Assert.All(nodes, n => Assert.True((bool)n!["managed"]!));
        Assert.All(nodes, n => Assert.Equal("Synced", (string?)n!["status"]));
        var web = nodes.Single(n => (string?)n!["kind"] == "Deployment")!;
        Assert.Equal((string?)deployment["metadata"]!["uid"], (string?)web["uid"]);
        Assert.Equal("Healthy", (string?)web["health"]!["status"]);
        var rs = Assert.Single(web["children"]!.AsArray())!;
        Assert.Equal(("apps", "v1", "ReplicaSet", "shop", "web-5d4f8", false), ((string?)rs["group"], (string?)rs["version"], (string?)rs["kind"], (string?)rs["namespace"], (string?)rs["name"], (bool)rs["managed"]!));
        Assert.Null(rs["status"]);
        var pods = rs["children"]!.AsArray();
        Assert.Equal(["web-5d4f8-a", "web-5d4f8-b"], pods.Select(p => (string)p!["name"]!));
        Assert.Equal(["Healthy", "Progressing"], pods.Select(p => (string)p!["health"]!["status"]!));
        var reportJob = Assert.Single(nodes.Single(n => (string?)n!["kind"] == "CronJob")!["children"]!.AsArray())!;
        Assert.Equal("report-2890", (string?)reportJob["name"]);
        Assert.Equal(["report-2890-x"], reportJob["children"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.DoesNotContain("\"stray\"", tree.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(nodes.Single(n => (string?)n!["kind"] == "ConfigMap")!["children"]!.AsArray());
    }

    [Fact]
    public async Task Tree_UnknownApp_Is404NamingIt()
    {
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["shop.yaml"] = Shop }, Files);

        using var response = await ferry.Client.GetAsync("/api/apps/nosuch/tree");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no app named 'nosuch'", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task Resource_MasksSecretValues_ShowsTheDiffOfALiveEdit_AndRefusesObjectsOutsideTheApp()
    {
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["shop.yaml"] = Shop }, Files);
        await ferry.WaitForAsync("shop", e => e.Applied);
        ferry.Simulator.UpdateObject("v1", "ConfigMap", "shop", "settings", cm => cm["data"]!["color"] = "red");
        var stray = await CreateOwnedAsync(ferry, "v1", "Pod", "stray", null, PodSpec);

        // Refresh through the API, as the page's button does; the app has no selfHeal, so the edit stays and shows as drift.
        using (var refresh = await ferry.Client.SendAsync(ferry.Action("shop", "refresh")))
        {
            Assert.Equal(HttpStatusCode.Accepted, refresh.StatusCode);
        }

        await ferry.WaitForAsync("shop", e => e.Request.Reason == "manual" && e.Status.SyncStatus == SyncStatusCode.OutOfSync);

        var secret = JsonNode.Parse(await ferry.Client.GetStringAsync("/api/apps/shop/resource?version=v1&kind=Secret&namespace=shop&name=db"))!;
        Assert.Equal("++++++++", (string?)secret["liveState"]!["data"]!["password"]);
        Assert.Null(secret["liveState"]!["metadata"]!["managedFields"]);
        Assert.Equal("Synced", (string?)secret["status"]);
        Assert.Equal(string.Empty, (string?)secret["diff"]);

        var settings = JsonNode.Parse(await ferry.Client.GetStringAsync("/api/apps/shop/resource?group=&version=v1&kind=ConfigMap&namespace=shop&name=settings"))!;
        Assert.Equal("red", (string?)settings["liveState"]!["data"]!["color"]);
        Assert.Equal("OutOfSync", (string?)settings["status"]);
        var diff = (string)settings["diff"]!;
        Assert.StartsWith("--- live/ConfigMap/shop/settings\n+++ git/ConfigMap/shop/settings\n", diff, StringComparison.Ordinal);
        Assert.Contains("-  color: red\n", diff, StringComparison.Ordinal);
        Assert.Contains("+  color: blue\n", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", diff, StringComparison.Ordinal);
        Assert.NotNull(settings["comparedAt"]);

        using var outside = await ferry.Client.GetAsync("/api/apps/shop/resource?version=v1&kind=Pod&namespace=shop&name=stray");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal("Pod/shop/stray is not part of app 'shop'", (string?)JsonNode.Parse(await outside.Content.ReadAsStringAsync())!["message"]);
        Assert.NotNull(stray);
        using var missingQuery = await ferry.Client.GetAsync("/api/apps/shop/resource?kind=Pod");
        Assert.Equal(HttpStatusCode.BadRequest, missingQuery.StatusCode);
        using var unknownApp = await ferry.Client.GetAsync("/api/apps/nosuch/resource?version=v1&kind=Pod&namespace=shop&name=stray");
        Assert.Equal(HttpStatusCode.NotFound, unknownApp.StatusCode);
        Assert.Equal("no app named 'nosuch'", (string?)JsonNode.Parse(await unknownApp.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task Actions_NeedTheTokenTheHeaderAndTheSameOrigin_AndQueueTheJob()
    {
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["manual.yaml"] = Manual }, Files);

        using (var anonymous = await ferry.Client.PostAsync("/api/apps/manual/sync", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = ferry.Action("manual", "sync"))
        {
            wrong.Headers.Authorization = new("Bearer", LocalFerry.Token + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await ferry.Client.SendAsync(wrong)).StatusCode);
        }

        using (var noHeader = ferry.Action("manual", "sync"))
        {
            noHeader.Headers.Remove("X-Requested-With");
            Assert.Equal(HttpStatusCode.Forbidden, (await ferry.Client.SendAsync(noHeader)).StatusCode);
        }

        using (var crossSite = ferry.Action("manual", "sync"))
        {
            crossSite.Headers.Add("Origin", "https://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await ferry.Client.SendAsync(crossSite)).StatusCode);
        }

        using (var unknown = await ferry.Client.SendAsync(ferry.Action("nosuch", "sync")))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var sameOrigin = ferry.Action("manual", "sync");
        sameOrigin.Headers.Add("Origin", ferry.Host.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var accepted = await ferry.Client.SendAsync(sameOrigin);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
        Assert.Equal(("sync", "manual", "manual"), ((string?)job["job"]!["kind"], (string?)job["job"]!["app"], (string?)job["job"]!["reason"]));
        Assert.False(string.IsNullOrEmpty((string?)job["messageId"]));

        // A manual app: the start-up refresh only compares; the queued sync applies, as the page's Sync button must.
        var synced = await ferry.WaitForAsync("manual", e => e.Applied);
        Assert.Equal((SyncStatusCode.Synced, "manual"), (synced.Status.SyncStatus, synced.Status.History[^1].Reason));
        Assert.NotNull(ferry.Simulator.GetObject("v1", "ConfigMap", "manual", "greeting"));
    }

    [Fact]
    public async Task Actions_WithoutAToken_AreRefusedSayingHowToEnableThem()
    {
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["manual.yaml"] = Manual }, Files, token: null);

        using var response = await ferry.Client.SendAsync(ferry.Action("manual", "sync"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("--api-token", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_GoesBackToAHistoryEntry_AndIsRefusedWhileAutomated()
    {
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["manual.yaml"] = Manual, ["shop.yaml"] = Shop }, Files);
        var first = ferry.Repo.Head();
        await ferry.Client.SendAsync(ferry.Action("manual", "sync"));
        await ferry.WaitForAsync("manual", e => e.Applied && e.Status.Revision == first);
        var second = ferry.Repo.Commit(new Dictionary<string, string> { ["manual/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: greeting }\ndata: { text: bonjour }\n" }, "French");
        await ferry.Client.SendAsync(ferry.Action("manual", "sync"));
        await ferry.WaitForAsync("manual", e => e.Applied && e.Status.Revision == second);

        using (var automated = await ferry.Client.SendAsync(ferry.Action("shop", "rollback", """{"id":0}""")))
        {
            Assert.Equal(HttpStatusCode.Conflict, automated.StatusCode);
            Assert.Contains("automated sync", await automated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var noEntry = await ferry.Client.SendAsync(ferry.Action("manual", "rollback", """{"id":7}""")))
        {
            Assert.Equal(HttpStatusCode.NotFound, noEntry.StatusCode);
        }

        using (var noId = await ferry.Client.SendAsync(ferry.Action("manual", "rollback")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
        }

        using var accepted = await ferry.Client.SendAsync(ferry.Action("manual", "rollback", """{"id":0}"""));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["job"]!;
        Assert.Equal(("rollback", first), ((string?)job["kind"], (string?)job["revision"]));

        var rolledBack = await ferry.WaitForAsync("manual", e => e.Applied && e.Request.Reason == "rollback");
        Assert.Equal(first, rolledBack.Status.Revision);
        Assert.Equal("hello", (string?)ferry.Simulator.GetObject("v1", "ConfigMap", "manual", "greeting")!["data"]!["text"]);
        Assert.Equal([first, second, first], rolledBack.Status.History.Select(h => h.Revision));
    }

    private const string PodSpec = LocalFerry.PodSpec;

    private static Task<JsonObject> CreateOwnedAsync(LocalFerry ferry, string apiVersion, string kind, string name, JsonObject? owner, string specJson) =>
        ferry.CreateOwnedAsync(apiVersion, kind, name, owner, specJson);
}
