using Ferry.Functions.Tests.TestSupport;
using Microsoft.Playwright;

namespace Ferry.Functions.Tests.Web;

/// <summary>The page in a real headless Chromium (Debian's /usr/bin/chromium) against the real handler on Kestrel.</summary>
public sealed class StatusPageBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    [Fact]
    public async Task Page_InChromium_ShowsTilesExpandsDetailsAndEscapesTheDiff()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium");
        // The browser is Debian's; Playwright must never fetch its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 }, ColorScheme = ColorScheme.Light });
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        // The page swaps its grid in every 5 s; with the browser's clock paused no refresh can land between a
        // locator and its click on a loaded machine, so what the test clicks is what it asserts on.
        await PauseClockAsync(page);
        await page.GotoAsync(app.BaseAddress.ToString());

        var tiles = page.Locator("article.tile");
        Assert.Equal(5, await tiles.CountAsync());
        Assert.Equal(["batch-jobs", "guestbook", "legacy", "monitoring", "payments"], await tiles.EvaluateAllAsync<string[]>("ts => ts.map(t => t.dataset.app)"));
        await AssertChipsAsync(page, "guestbook", "Synced", "Healthy");
        await AssertChipsAsync(page, "payments", "OutOfSync", "Degraded");
        await AssertChipsAsync(page, "monitoring", "Synced", "Progressing");
        await AssertChipsAsync(page, "batch-jobs", "Synced", "Suspended");
        await AssertChipsAsync(page, "legacy", "Unknown", "Missing");
        Assert.Equal("4f2c1a9", await page.Locator("#app-guestbook code.rev").First.InnerTextAsync());
        Assert.Equal("3 min ago", await page.Locator("#app-guestbook dd time").First.InnerTextAsync());
        Assert.Equal("simulated cluster", await page.Locator("#app-guestbook .pill-sim").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#app-payments .pill-sim").CountAsync());
        Assert.Contains("admission webhook denied the request", await page.Locator("#app-payments [data-testid=operation]").InnerTextAsync(), StringComparison.Ordinal);

        await page.ScreenshotAsync(new() { Path = RepoPaths.TestResults("status-page-grid.png"), FullPage = true });

        var resources = page.Locator("#app-payments table.resources");
        Assert.False(await resources.IsVisibleAsync());
        await page.Locator("#details-payments > summary").ClickAsync();
        Assert.True(await resources.IsVisibleAsync());
        var rows = resources.Locator("tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        var deployment = resources.Locator("tr[data-kind=Deployment]");
        Assert.Contains("payments/api", await deployment.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Degraded", await deployment.InnerTextAsync(), StringComparison.Ordinal);
        var diff = page.Locator("#app-payments [data-testid=diff]");
        Assert.True(await diff.IsVisibleAsync());
        Assert.Contains(SampleStatuses.HostileDiffLine, await diff.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await diff.Locator(".d-add").CountAsync());
        Assert.Equal(1, await diff.Locator(".d-del").CountAsync());
        Assert.Equal(0, await page.Locator("#app-payments pre script").CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("() => window.__pwned === true"));
        Assert.Empty(dialogs);

        await page.Locator("#details-guestbook > summary").ClickAsync();
        Assert.Equal(3, await page.Locator("#app-guestbook ol.history li").CountAsync());

        var screenshot = RepoPaths.TestResults("status-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 30_000, $"screenshot is only {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        foreach (var tile in await tiles.AllAsync())
        {
            var box = await tile.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Width > 200 && box.Height > 100, $"tile box {box.Width}x{box.Height}");
            Assert.True(await tile.IsVisibleAsync());
        }
    }

    [Fact]
    public async Task Page_Refresh_PicksUpNewAppsAndKeepsDetailsOpen()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var app = await TestWebApp.StartAsync([SampleStatuses.Guestbook]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 800 }, ColorScheme = ColorScheme.Dark });
        await PauseClockAsync(page);
        await page.GotoAsync(app.BaseAddress.ToString());
        await page.Locator("#details-guestbook > summary").ClickAsync();

        await app.Store.SaveAsync(SampleStatuses.Payments, CancellationToken.None);

        // The page polls every 5 s: move its clock past one poll, then wait for the new tile (the fetch is real).
        await page.Clock.RunForAsync(5_000);
        await page.Locator("#app-payments").WaitForAsync(new() { Timeout = 30_000 });
        Assert.True(await page.Locator("#details-guestbook").GetAttributeAsync("open") is not null);
        Assert.Equal(2, await page.Locator("article.tile").CountAsync());
        await page.ScreenshotAsync(new() { Path = RepoPaths.TestResults("status-page-dark.png"), FullPage = true });
    }

    private static async Task PauseClockAsync(IPage page)
    {
        await page.Clock.InstallAsync();
        await page.Clock.PauseAtAsync(DateTime.UtcNow.AddSeconds(1));
    }

    private static async Task AssertChipsAsync(IPage page, string app, string sync, string health)
    {
        var tile = page.Locator($"#app-{app}");
        Assert.Equal(sync, (await tile.Locator("[data-testid=sync]").InnerTextAsync()).Trim());
        Assert.Equal(health, (await tile.Locator("[data-testid=health]").InnerTextAsync()).Trim());
        Assert.Equal(sync, await tile.GetAttributeAsync("data-sync"));
        Assert.Equal(health, await tile.GetAttributeAsync("data-health"));
    }
}
