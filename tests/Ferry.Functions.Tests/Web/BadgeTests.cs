using System.Net;
using System.Xml.Linq;
using Ferry.Core.Health;
using Ferry.Core.Status;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Web;

public sealed class BadgeTests
{
    [Theory]
    [InlineData("synced-healthy", SyncStatusCode.Synced, HealthStatusCode.Healthy, "Synced · Healthy", "#4c1")]
    [InlineData("outofsync-healthy", SyncStatusCode.OutOfSync, HealthStatusCode.Healthy, "OutOfSync · Healthy", "#dfb317")]
    [InlineData("synced-progressing", SyncStatusCode.Synced, HealthStatusCode.Progressing, "Synced · Progressing", "#007ec6")]
    [InlineData("outofsync-degraded", SyncStatusCode.OutOfSync, HealthStatusCode.Degraded, "OutOfSync · Degraded", "#e05d44")]
    [InlineData("synced-suspended", SyncStatusCode.Synced, HealthStatusCode.Suspended, "Synced · Suspended", "#7d57c2")]
    [InlineData("synced-missing", SyncStatusCode.Synced, HealthStatusCode.Missing, "Synced · Missing", "#9f9f9f")]
    [InlineData("unknown-unknown", SyncStatusCode.Unknown, HealthStatusCode.Unknown, "Unknown · Unknown", "#9f9f9f")]
    public async Task Badge_State_ShowsSyncAndHealthInItsColour(string name, SyncStatusCode sync, HealthStatusCode health, string message, string color)
    {
        await using var app = await TestWebApp.StartAsync([new AppStatus { Name = name, SyncStatus = sync, Health = health }]);

        using var response = await app.Client.GetAsync($"/api/badge/{name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal($"ferry: {message}", svg.Root!.Attribute("aria-label")?.Value);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).Distinct().ToList();
        Assert.Equal(["ferry", message], texts);
        var fills = svg.Descendants(ns + "rect").Select(r => r.Attribute("fill")?.Value).ToList();
        Assert.Contains(color, fills);
        // The message box is wider than the label box: widths follow the text.
        var widths = svg.Descendants(ns + "g").First().Elements(ns + "rect").Take(2).Select(r => int.Parse(r.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(widths[1] > widths[0], $"message width {widths[1]} <= label width {widths[0]}");
    }

    [Fact]
    public async Task Badge_UnknownApp_IsGreyNotFoundWith404()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All);

        using var response = await app.Client.GetAsync("/api/badge/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ferry: not found", svg.Root!.Attribute("aria-label")?.Value);
        Assert.Contains("#9f9f9f", svg.Descendants().Select(e => e.Attribute("fill")?.Value));
    }
}
