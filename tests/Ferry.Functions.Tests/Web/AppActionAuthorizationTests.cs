using System.Net;
using System.Text;
using Ferry.Core.Jobs;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Functions.Tests.Web;

/// <summary>Actions as the function app answers them in Azure, where App Service Authentication signs callers in and passes the principal.</summary>
public sealed class AppActionAuthorizationTests : IDisposable
{
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _apps = new();
    private readonly InMemoryJobQueue _queue = new();

    public AppActionAuthorizationTests() => _apps.Write("web.yaml", """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: { name: web }
        spec:
          source: { repoURL: "https://github.com/acme/web", path: deploy, targetRevision: main }
          destination: { server: "https://kubernetes.default.svc", namespace: web }
        """);

    [Theory]
    [InlineData("no principal", false, true, null, HttpStatusCode.Unauthorized)]
    [InlineData("no X-Requested-With", true, false, null, HttpStatusCode.Forbidden)]
    [InlineData("another site's origin", true, true, "https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("signed in, from the page", true, true, "self", HttpStatusCode.Accepted)]
    [InlineData("signed in, no Origin (not a browser)", true, true, null, HttpStatusCode.Accepted)]
    public async Task Sync_InAzure_NeedsTheEasyAuthPrincipalTheHeaderAndTheSameOrigin(string name, bool principal, bool requestedWith, string? origin, HttpStatusCode expected)
    {
        await using var app = await TestWebApp.StartAsync(configure: services => services
            .AddSingleton<ICatalogProvider>(new DirectoryCatalogProvider(_apps.Path))
            .AddSingleton<IJobQueue>(_queue)
            .AddSingleton(ActionAuthorization.AppServiceAuthentication));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/apps/web/sync");
        if (principal)
        {
            request.Headers.Add(ActionAuthorization.PrincipalHeader, Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"auth_typ":"aad","claims":[]}""")));
            request.Headers.Add(ActionAuthorization.PrincipalNameHeader, "ada@example.com");
        }

        if (requestedWith)
        {
            request.Headers.Add("X-Requested-With", "ferry-page");
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin == "self" ? app.BaseAddress.GetLeftPart(UriPartial.Authority) : origin);
        }

        using var response = await app.Client.SendAsync(request);

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, response.StatusCode);
        var queued = await _queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(expected == HttpStatusCode.Accepted, queued is not null);
        if (queued is not null)
        {
            Assert.Equal((JobKind.Sync, JobReason.Manual, "web"), (queued.Message.Kind, queued.Message.Reason, queued.Message.App));
        }
    }

    [Fact]
    public async Task Page_InAzure_ShowsTheButtonsWithoutATokenField()
    {
        await using var app = await TestWebApp.StartAsync(SampleStatuses.All, services => services
            .AddSingleton<ICatalogProvider>(new DirectoryCatalogProvider(_apps.Path))
            .AddSingleton(ActionAuthorization.AppServiceAuthentication));
        await app.Store.SaveAsync(SampleStatuses.Guestbook with { Name = "web" }, CancellationToken.None);

        var html = await app.Client.GetStringAsync("/");

        Assert.Contains("data-action=\"sync\" data-app=\"web\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"api-token\"", html, StringComparison.Ordinal);
        // Apps the catalog does not hold get no buttons: there is nothing to sync them from.
        Assert.DoesNotContain("data-action=\"sync\" data-app=\"guestbook\"", html, StringComparison.Ordinal);
    }

    public void Dispose() => _apps.Dispose();
}
