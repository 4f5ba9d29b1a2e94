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
