using System.Net;
using Ferry.Core.Jobs;
using Ferry.Core.Webhooks;
using Ferry.Functions.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Functions.Tests.Hosting;

/// <summary>GitHubWebhook over HTTP (the local host's Kestrel routing to the function class): the size limit and what a refused delivery enqueues.</summary>
public sealed class GitHubWebhookFunctionTests : IDisposable
{
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _apps = new();
    private readonly InMemoryJobQueue _queue = new();

    [Fact]
    public async Task Post_BodyOverTheLimit_Answers413AndEnqueuesNothing()
    {
        await using var app = await StartAsync();

        using var response = await app.Client.PostAsync("/api/github", new ByteArrayContent(new byte[GitHubWebhookFunction.MaxBodyBytes + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null(await _queue.TryReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_Answers413()
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = new StreamContent(new MemoryStream(new byte[GitHubWebhookFunction.MaxBodyBytes + 4096])) };
        request.Headers.TransferEncodingChunked = true;

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnsignedWithASecretSet_Answers401()
    {
        await using var app = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/github") { Content = new StringContent("{}") };
        request.Headers.Add("X-GitHub-Event", "push");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await _queue.TryReceiveAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    public void Dispose() => _apps.Dispose();

    private Task<TestWebApp> StartAsync() => TestWebApp.StartAsync(configure: services => services.AddSingleton(
        new GitHubWebhookIntake(new DirectoryCatalogProvider(_apps.Path), _queue, "webhook-secret", new DeliveryDeduplicator(TimeProvider.System), TimeProvider.System)));
}
