using System.Text.Json.Nodes;
using Azure.Core;
using Ferry.Core.Kube;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Kube;

/// <summary>Clients built from an Azure credential (AKS) and used the way the engine will: many applies in parallel on one pool.</summary>
public sealed class KubeClientFactoryTests : IAsyncLifetime
{
    private KubeReplayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeReplayServer.StartAsync();
        _server.MapDiscovery();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FromAzureCredential_Requests_AskTheAksScopeOnceAndSendTheToken()
    {
        var credential = new CountingCredential();
        using var client = KubeClientFactory.FromAzureCredential(_server.Url, credential, options: KubeClientTests.TestOptions());

        await client.GetServerVersionAsync(CancellationToken.None);
        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal(["6dae42f8-4368-4678-94ff-3960e28e3630/.default"], credential.Scopes.Distinct());
        Assert.Equal(1, credential.Calls);
        Assert.All(_server.Requests, r => Assert.Equal("Bearer aad-token-1", r.Authorization));
    }

    [Fact]
    public async Task FromAzureCredential_Unauthorized_FetchesAFreshTokenOnce()
    {
        _server.Map("GET", "/version", "043-unauthorized");
        _server.ThenMap("GET", "/version", "001-version");
        var credential = new CountingCredential();
        using var client = KubeClientFactory.FromAzureCredential(_server.Url, credential, options: KubeClientTests.TestOptions());

        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal(["Bearer aad-token-1", "Bearer aad-token-2"], _server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task ApplyAsync_TwoHundredInParallel_AllSucceedWithOneDiscoveryRequest()
    {
        var exchange = Exchange.Load("029-ssa-create-service");
        _server.Map("PATCH", exchange.RequestPath, exchange.Name);
        var desired = (JsonObject)Ferry.Core.Yaml.YamlReader.ReadOne(File.ReadAllText(exchange.RequestBodyFile!), "029")!;
        using var client = KubeClientFactory.FromToken(_server.Url, "t", options: KubeClientTests.TestOptions());

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.ApplyAsync(desired, new ApplyOptions { Force = true }, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal("web", (string?)r["metadata"]!["name"]));
        Assert.Equal(200, _server.Requests.Count(r => r.Method == "PATCH"));
        Assert.Equal(1, _server.Requests.Count(r => r.Target == "/api/v1"));
    }

    private sealed class CountingCredential : TokenCredential
    {
        private int _calls;

        public int Calls => _calls;

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _calls);
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return ValueTask.FromResult(new AccessToken($"aad-token-{n}", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
