using System.Net;
using System.Text.Json.Nodes;
using Ferry.Core.Status;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Web;

public sealed class StatusApiTests
{
    [Fact]
    public async Task ListApps_SeededStore_ReturnsAllSortedByName()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        using var response = await app.Client.GetAsync("/api/apps");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var apps = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["batch-jobs", "guestbook", "legacy", "monitoring", "payments"], apps.Select(a => (string)a!["metadata"]!["name"]!));
        Assert.All(apps, a => Assert.Equal("Application", (string?)a!["kind"]));
    }

    [Fact]
    public async Task ListApps_EmptyStore_ReturnsEmptyArray()
    {
        await using var app = await TestWebApp.StartAsync();

        var body = await app.Client.GetStringAsync("/api/apps");

        Assert.Empty(JsonNode.Parse(body)!.AsArray());
    }

    [Fact]
    public async Task GetApp_Healthy_IsShapedLikeAnArgoApplication()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/api/apps/guestbook"))!;

        Assert.Equal("argoproj.io/v1alpha1", (string?)doc["apiVersion"]);
        Assert.Equal("guestbook", (string?)doc["metadata"]!["name"]);
        Assert.Equal("https://github.com/example/repo", (string?)doc["spec"]!["source"]!["repoURL"]);
        Assert.Equal("deploy", (string?)doc["spec"]!["source"]!["path"]);
        Assert.Equal("simulated cluster", (string?)doc["spec"]!["destination"]!["name"]);
        var status = doc["status"]!;
        Assert.Equal("Synced", (string?)status["sync"]!["status"]);
        Assert.Equal(SampleStatuses.GuestbookRevision, (string?)status["sync"]!["revision"]);
        Assert.Equal("Healthy", (string?)status["health"]!["status"]);
        var operation = status["operationState"]!;
        Assert.Equal("Succeeded", (string?)operation["phase"]);
        Assert.Equal("successfully synced (all tasks run)", (string?)operation["message"]);
        Assert.Equal("2025-05-01T11:56:58Z", (string?)operation["startedAt"]);
        Assert.Equal("2025-05-01T11:57:00Z", (string?)operation["finishedAt"]);
        Assert.Equal(SampleStatuses.GuestbookRevision, (string?)operation["syncResult"]!["revision"]);
        var results = operation["syncResult"]!["resources"]!.AsArray();
        Assert.Equal(["Synced", "Synced"], results.Select(r => (string)r!["status"]!));
        Assert.Equal(["Unchanged", "Configured"], results.Select(r => (string)r!["action"]!));
        var resources = status["resources"]!.AsArray();
        Assert.Equal(2, resources.Count);
        var deployment = resources.Single(r => (string?)r!["kind"] == "Deployment")!;
        Assert.Equal("apps", (string?)deployment["group"]);
        Assert.Equal("v1", (string?)deployment["version"]);
        Assert.Equal("guestbook", (string?)deployment["namespace"]);
        Assert.Equal("guestbook-ui", (string?)deployment["name"]);
        Assert.Equal("Synced", (string?)deployment["status"]);
        Assert.Equal("Healthy", (string?)deployment["health"]!["status"]);
        var history = status["history"]!.AsArray();
        Assert.Equal([1L, 2L, 3L], history.Select(h => (long)h!["id"]!));
        Assert.Equal("2025-05-01T11:57:00Z", (string?)history[2]!["deployedAt"]);
        Assert.Equal("2025-05-01T11:56:56Z", (string?)history[2]!["deployStartedAt"]);
        Assert.Equal(SampleStatuses.GuestbookRevision, (string?)history[2]!["source"]!["targetRevision"]);
        Assert.Empty(status["conditions"]!.AsArray());
        Assert.Equal("2025-05-01T11:59:00Z", (string?)status["reconciledAt"]);
        Assert.Equal(2, (int?)status["summary"]!["resources"]);
        Assert.Equal(2, (int?)status["summary"]!["health"]!["Healthy"]);
        Assert.Equal(180.5, (double?)status["ferry"]!["stageMilliseconds"]!["fetch"]);
        Assert.Equal(["apply", "fetch", "health", "plan", "prune", "render", "resolve"], status["ferry"]!["stageMilliseconds"]!.AsObject().Select(p => p.Key));
        Assert.Contains("+  image: gcr.io/heptio-images/ks-guestbook-demo:0.2", (string?)status["ferry"]!["lastDiff"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetApp_DegradedWithHostileDiff_ReportsItVerbatimAsJsonString()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        using var response = await app.Client.GetAsync("/api/apps/payments");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // JSON escapes markup characters, so the raw response never contains a live tag.
        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        var status = JsonNode.Parse(text)!["status"]!;
        Assert.Equal("Degraded", (string?)status["health"]!["status"]);
        Assert.Equal("Deployment \"api\" exceeded its progress deadline", (string?)status["health"]!["message"]);
        Assert.Equal("OutOfSync", (string?)status["sync"]!["status"]);
        Assert.Equal("Failed", (string?)status["operationState"]!["phase"]);
        Assert.Equal(2, (int?)status["operationState"]!["retryCount"]);
        Assert.Equal("SyncFailed", (string?)status["operationState"]!["syncResult"]!["resources"]![0]!["status"]);
        Assert.Equal("SyncError", (string?)status["conditions"]![0]!["type"]);
        Assert.Contains(SampleStatuses.HostileDiffLine, (string?)status["ferry"]!["lastDiff"], StringComparison.Ordinal);
        Assert.Equal(1, (int?)status["summary"]!["outOfSync"]);
        Assert.Equal(1, (int?)status["summary"]!["health"]!["Degraded"]);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("..%2Fsecrets")]
    [InlineData("bad%20name")]
    public async Task GetApp_Unknown_Answers404WithJsonError(string name)
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        using var response = await app.Client.GetAsync($"/api/apps/{name}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("not found", (string?)error["error"]);
        Assert.Equal(404, (int?)error["code"]);
        Assert.StartsWith("app '", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetApp_WithTheDeclaredSpec_ShowsTargetRevisionAndDestinationNamespace()
    {
        var declared = SampleStatuses.Guestbook with
        {
            Spec = new AppSpecSnapshot
            {
                RepoUrl = "https://github.com/example/repo",
                Path = "deploy",
                TargetRevision = "release-1.4",
                DestinationServer = "https://kubernetes.default.svc",
                DestinationNamespace = "guestbook-prod",
            },
        };
        await using var app = await TestWebApp.StartAsync([declared]);

        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/api/apps/guestbook"))!;

        Assert.Equal("release-1.4", (string?)doc["spec"]!["source"]!["targetRevision"]);
        Assert.Equal("guestbook-prod", (string?)doc["spec"]!["destination"]!["namespace"]);
        Assert.Equal("https://kubernetes.default.svc", (string?)doc["spec"]!["destination"]!["server"]);
        Assert.Equal(SampleStatuses.GuestbookRevision, (string?)doc["status"]!["sync"]!["revision"]);
        var listed = JsonNode.Parse(await app.Client.GetStringAsync("/api/apps"))!.AsArray().Single()!;
        Assert.Equal("release-1.4", (string?)listed["spec"]!["source"]!["targetRevision"]);
    }
}
