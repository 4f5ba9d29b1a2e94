using Ferry.Core.Kube;
using Ferry.Core.Tests.TestSupport;
using k8s;

namespace Ferry.Core.Tests.Kube;

/// <summary>Retries, timeouts, cancellation and unreachable servers, against a real listener (delays are capped tiny; nothing asserts on time).</summary>
public sealed class KubeTransportTests : IAsyncLifetime
{
    private KubeReplayServer _server = null!;
    private readonly List<KubeRequestInfo> _calls = [];

    public async Task InitializeAsync() => _server = await KubeReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task SendAsync_TransientStatusWithRetryAfter_RetriesThenSucceeds(int status)
    {
        _server.MapRaw("GET", "/version", status, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}""", ("Retry-After", "1"));
        _server.ThenMap("GET", "/version", "001-version");
        using var transport = Transport(_server.Url);

        var response = await transport.SendAsync(HttpMethod.Get, "/version", "discovery", null, KubeRetry.Safe, CancellationToken.None);

        Assert.Equal("v1.26.1", (string?)response.Require()["gitVersion"]);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal([(status, 0), (200, 1)], _calls.Select(c => (c.StatusCode, c.Attempt)));
    }

    [Fact]
    public async Task SendAsync_AnyAnswer_ReportsTheServerWithoutPathOrCredentials()
    {
        _server.ThenMap("GET", "/version", "001-version");
        var url = new UriBuilder(_server.Url) { UserName = "admin", Password = "hunter2" }.Uri;
        using var transport = Transport(url);

        var response = await transport.SendAsync(HttpMethod.Get, "/version", "discovery", null, KubeRetry.Safe, CancellationToken.None);

        Assert.Equal("v1.26.1", (string?)response.Require()["gitVersion"]);
        var call = Assert.Single(_calls);
        Assert.Equal($"http://127.0.0.1:{_server.Url.Port}", call.Server);
    }

    [Fact]
    public async Task SendAsync_AlwaysUnavailable_GivesUpAfterMaxRetries()
    {
        _server.MapRaw("GET", "/version", 503, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcd is down","reason":"ServiceUnavailable","code":503}""");
        using var transport = Transport(_server.Url);

        var response = await transport.SendAsync(HttpMethod.Get, "/version", "discovery", null, KubeRetry.Safe, CancellationToken.None);

        var ex = Assert.Throws<KubeApiException>(() => response.Require());
        Assert.Equal(503, ex.StatusCode);
        Assert.Contains("etcd is down", ex.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceled()
    {
        _server.MapHang("GET", "/version");
        using var transport = Transport(_server.Url);
        using var cancel = new CancellationTokenSource();

        var call = transport.SendAsync(HttpMethod.Get, "/version", "discovery", null, KubeRetry.Safe, cancel.Token);
        await _server.HangReached.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendAsync_ServerNeverAnswers_ThrowsUnreachableAfterTheRequestTimeout()
    {
        _server.MapHang("GET", "/version");
        using var transport = Transport(_server.Url, new KubeClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), MaxRetries = 0 });

        var ex = await Assert.ThrowsAsync<KubeUnreachableException>(() => transport.SendAsync(HttpMethod.Get, "/version", "discovery", null, KubeRetry.Safe, CancellationToken.None));

        Assert.Contains("no answer within", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NothingListens_ThrowsUnreachableNamingTheServerNotTheToken()
    {
        using var closed = new RefusingPort();
        var url = new Uri($"http://127.0.0.1:{closed.Port}");
        using var transport = new KubeTransport(
            new KubernetesClientConfiguration { Host = url.ToString(), AccessToken = "secret-token-xyz" },
            Options());

        var ex = await Assert.ThrowsAsync<KubeUnreachableException>(() => transport.SendAsync(HttpMethod.Get, "/version", "discovery", null, KubeRetry.Safe, CancellationToken.None));

        Assert.Contains(url.Authority, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-xyz", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, _calls.Count);
        Assert.All(_calls, c => Assert.Equal(0, c.StatusCode));
    }

    [Fact]
    public async Task SendAsync_NothingListensForAPost_DoesNotRetry()
    {
        using var closed = new RefusingPort();
        using var transport = Transport(new Uri($"http://127.0.0.1:{closed.Port}"));

        await Assert.ThrowsAsync<KubeUnreachableException>(() => transport.SendAsync(HttpMethod.Post, "/api/v1/namespaces", "namespaces", null, KubeRetry.WhenRefused, CancellationToken.None));

        Assert.Single(_calls);
    }

    private KubeTransport Transport(Uri url, KubeClientOptions? options = null) =>
        new(new KubernetesClientConfiguration { Host = url.ToString() }, (options ?? Options()) with { OnRequest = Record });

    private KubeClientOptions Options() => KubeClientTests.TestOptions(Record);

    private void Record(KubeRequestInfo info)
    {
        lock (_calls)
        {
            _calls.Add(info);
        }
    }
}
