using Ferry.Core.Status;
using Ferry.Functions.Tests.TestSupport;
using Microsoft.Playwright;

namespace Ferry.Functions.Tests.Web;

/// <summary>
/// The page of a running <c>ferry serve</c> (real Git, the in-memory API server, queue and workers) in Debian's headless Chromium: the
/// app list with search and filters, an app's resource tree with a live manifest and a diff, and a Sync clicked with the API token.
/// Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class AppPageBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    [Fact]
    public async Task Page_ListTreeDiffAndSyncAction_WorkInChromium()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var ferry = await LocalFerry.StartAsync(new Dictionary<string, string> { ["shop.yaml"] = AppApiTests.Shop, ["manual.yaml"] = AppApiTests.Manual }, AppApiTests.Files);
        await ferry.WaitForAsync("shop", e => e.Applied);
        await ferry.WaitForAsync("manual", e => e.Status.SyncStatus == SyncStatusCode.OutOfSync);
        var deployment = ferry.Simulator.GetObject("apps/v1", "Deployment", "shop", "web")!;
        var replicaSet = await ferry.CreateOwnedAsync("apps/v1", "ReplicaSet", "web-5d4f8", deployment, """{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}""");
        await ferry.CreateOwnedAsync("v1", "Pod", "web-5d4f8-a", replicaSet, LocalFerry.PodSpec);
        await ferry.CreateOwnedAsync("v1", "Pod", "web-5d4f8-b", replicaSet, LocalFerry.PodSpec);
        ferry.Simulator.UpdateObject("v1", "ConfigMap", "shop", "settings", cm => cm["data"]!["color"] = "red");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 }, ColorScheme = ColorScheme.Light });
        // The page's 5 s refresh runs only when the test moves the clock, so nothing swaps the grid between a locator and its click.
        await page.Clock.InstallAsync();
        await page.Clock.PauseAtAsync(DateTime.UtcNow.AddSeconds(1));
        var base_ = ferry.Host.BaseAddress.ToString();

        // The list: search and filters.
        await page.GotoAsync(base_);
        Assert.Equal(["manual", "shop"], await page.Locator("article.tile").EvaluateAllAsync<string[]>("ts => ts.map(t => t.dataset.app)"));
        Assert.Equal("manual", (await page.Locator("#app-manual [data-testid=sync-policy]").InnerTextAsync()).Trim());
        Assert.Equal("automated (prune)", (await page.Locator("#app-shop [data-testid=sync-policy]").InnerTextAsync()).Trim());
        Assert.Contains("namespace shop", await page.Locator("#app-shop [data-testid=destination]").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#search").FillAsync("sho");
        Assert.True(await page.Locator("#app-manual").IsHiddenAsync());
        Assert.True(await page.Locator("#app-shop").IsVisibleAsync());
        await page.Locator("#search").FillAsync(string.Empty);
        await page.Locator("#filter-sync").SelectOptionAsync("OutOfSync");
        Assert.True(await page.Locator("#app-shop").IsHiddenAsync());
        Assert.Equal("1 of 2 apps", await page.Locator("[data-testid=filter-count]").InnerTextAsync());
        await page.Locator("#filter-sync").SelectOptionAsync(string.Empty);
        await page.ScreenshotAsync(new() { Path = Screenshot("app-list.png"), FullPage = true });

        // The detail: the token, a Refresh that finds the live edit, the tree, and the ConfigMap's diff.
        await page.GotoAsync(base_ + "?app=shop");
        await page.Locator("#api-token").FillAsync(LocalFerry.Token);
        await page.Locator("#app-shop button[data-action=refresh]").ClickAsync();
        await page.Locator("#action-shop.ok").WaitForAsync();
        await ferry.WaitForAsync("shop", e => e.Request.Reason == "manual" && e.Status.SyncStatus == SyncStatusCode.OutOfSync);
        await page.Clock.RunForAsync(5_000);
        await page.Locator("#app-shop[data-sync=OutOfSync]").WaitForAsync();
        var tree = page.Locator("#tree-shop");
        // The tree loads on its own after the grid (a second request, which lists the live objects): wait for the one the refresh drew.
        await tree.Locator("button.node[data-kind=ConfigMap]", new() { HasText = "OutOfSync" }).WaitForAsync();
        await tree.Locator("button.node[data-kind=Pod][data-name=web-5d4f8-b]").WaitForAsync();
        Assert.Equal(["ConfigMap", "Secret", "Deployment", "ReplicaSet", "Pod", "Pod", "CronJob"], await tree.Locator("button.node").EvaluateAllAsync<string[]>("ns => ns.map(n => n.dataset.kind)"));
        Assert.Contains("Healthy", await tree.Locator("button.node[data-kind=Deployment]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("OutOfSync", await tree.Locator("button.node[data-kind=ConfigMap]").InnerTextAsync(), StringComparison.Ordinal);
        await tree.Locator("button.node[data-kind=ConfigMap]").ClickAsync();
        var diff = page.Locator("#panel-shop [data-testid=resource-diff]");
        await diff.WaitForAsync();
        Assert.Equal("-  color: red", await diff.Locator(".d-del").InnerTextAsync());
        Assert.Equal("+  color: blue", await diff.Locator(".d-add").InnerTextAsync());
        Assert.Contains("\"color\": \"red\"", await page.Locator("#panel-shop [data-testid=live-manifest]").InnerTextAsync(), StringComparison.Ordinal);
        // A click scrolls the page; from the top, the sticky header stays at the top of the full-page shot.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Screenshot("app-detail-tree-diff.png"), FullPage = true });

        // A Secret's values never reach the page.
        await tree.Locator("button.node[data-kind=Secret]").ClickAsync();
        await page.Locator("#panel-shop h4", new() { HasText = "Secret" }).WaitForAsync();
        Assert.DoesNotContain("hunter2", await page.ContentAsync(), StringComparison.Ordinal);

        // An action: Sync the manual app with the token; the job runs and the tile turns Synced.
        await page.GotoAsync(base_ + "?app=manual");
        Assert.Equal(LocalFerry.Token, await page.Locator("#api-token").InputValueAsync());
        await page.Locator("#app-manual button[data-action=sync]").ClickAsync();
        await page.Locator("#action-manual.ok").WaitForAsync();
        await ferry.WaitForAsync("manual", e => e.Applied);
        await page.Clock.RunForAsync(5_000);
        await page.Locator("#app-manual[data-sync=Synced]").WaitForAsync();
        Assert.Contains("Sync queued", await page.Locator("#action-manual").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("manual sync", await page.Locator("#app-manual ol.history li").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Screenshot("action-sync.png"), FullPage = true });

        // An app that does not exist says so.
        await page.GotoAsync(base_ + "?app=nosuch");
        Assert.Equal("No app named nosuch", await page.Locator("[data-testid=no-such-app] h2").InnerTextAsync());
    }

    private static string Screenshot(string name)
    {
        var path = RepoPaths.TestResults(Path.Combine("screenshots", name));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
