using System.Net;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Web;

/// <summary>The page's HTML as served (the browser test checks how it renders).</summary>
public sealed class StatusPageTests
{
    [Fact]
    public async Task Page_HostileDiffAndMessages_AreHtmlEncoded()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        using var response = await app.Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<script>window.__pwned", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;window.__pwned", html, StringComparison.Ordinal);
        Assert.Contains("Deployment &quot;api&quot; exceeded its progress deadline", html, StringComparison.Ordinal);
        // The only script element is the page's own refresh script.
        Assert.Equal(1, CountOf(html, "<script>"));
    }

    [Fact]
    public async Task Page_NoExternalResources_AndStrictContentSecurityPolicy()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        using var response = await app.Client.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task PageAndApi_ActiveSyncWindow_Shown()
    {
        const string window = "deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, Europe/Amsterdam) <b>";
        await using var app = await TestWebApp.StartAsync([SampleStatuses.Guestbook with { ActiveSyncWindows = [window] }]);

        var html = await app.Client.GetStringAsync("/");
        var api = System.Text.Json.Nodes.JsonNode.Parse(await app.Client.GetStringAsync("/api/apps/guestbook"))!;

        Assert.Contains("<b>Sync window open</b> deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, Europe/Amsterdam) &lt;b&gt;", html, StringComparison.Ordinal);
        Assert.Equal(window, (string?)api["status"]!["ferry"]!["activeSyncWindows"]![0]);
    }

    [Fact]
    public async Task Page_EmptyStore_ShowsEmptyState()
    {
        await using var app = await TestWebApp.StartAsync();

        var html = await app.Client.GetStringAsync("/");

        Assert.Contains("No apps yet —", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<article", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_AppQuery_OpensThatAppsDetails()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        var html = await app.Client.GetStringAsync("/?app=payments");

        Assert.Contains("<details class=\"more\" id=\"details-payments\" open>", html, StringComparison.Ordinal);
        Assert.Contains("<details class=\"more\" id=\"details-guestbook\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_UnknownPath_Is404()
    {
        await using var app = await TestWebApp.StartAsync();

        using var response = await app.Client.GetAsync("/favicon.ico");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_Details_StagesInPipelineOrder_HistoryLinksCommitsAndNamesWhyEachSyncRan()
    {
        var guestbook = SampleStatuses.Guestbook with
        {
            History =
            [
                new Ferry.Core.Status.HistoryEntry { Id = 0, Revision = new string('a', 40), DeployedAt = TestWebApp.Now.AddHours(-2), RepoUrl = "https://github.com/example/repo.git", Reason = "drift", CommitMessage = "first <b>commit</b>", CommitAuthor = "Ada" },
                new Ferry.Core.Status.HistoryEntry { Id = 1, Revision = new string('a', 40), DeployedAt = TestWebApp.Now.AddHours(-1), RepoUrl = "git@github.com:example/repo.git", Reason = "drift" },
                new Ferry.Core.Status.HistoryEntry { Id = 2, Revision = new string('b', 40), DeployedAt = TestWebApp.Now.AddMinutes(-5), RepoUrl = "https://gitlab.example/x/y", Reason = "drift" },
            ],
        };
        await using var app = await TestWebApp.StartAsync([guestbook]);

        var html = await app.Client.GetStringAsync("/?app=guestbook");

        var stages = System.Text.RegularExpressions.Regex.Matches(html, "<li><span>([a-z.]+)</span>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["resolve", "fetch", "render", "plan", "apply", "prune", "health"], stages);
        Assert.Contains($"<a href=\"https://github.com/example/repo/commit/{new string('a', 40)}\"", html, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(html, "https://github.com/example/repo/commit/"));
        Assert.DoesNotContain("gitlab.example/x/y/commit", html, StringComparison.Ordinal);
        Assert.Contains("first sync (automated)</span><span class=\"commit-msg\">first &lt;b&gt;commit&lt;/b&gt;</span><span class=\"muted commit-author\">Ada</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"pill\">self-heal</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"pill\">automated sync</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">drift<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_UnknownApp_SaysNoAppHasThatName()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        var html = await app.Client.GetStringAsync("/?app=nosuch%3Cx%3E");

        Assert.Contains("<h2>No app named nosuch&lt;x&gt;</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"no-such-app\"", await app.Client.GetStringAsync("/?app=guestbook"), StringComparison.Ordinal);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
