using Azure.Core;
using Ferry.Core.Storage;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Storage;

public sealed class StorageHttpPipelineTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();
    private static readonly StorageClientOptions FastRetries = new() { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) };

    private static (int, string, IReadOnlyDictionary<string, string>) Created() => (201, string.Empty, NoHeaders);

    private static StorageConnection TokenConnection(LocalHttpServer server, TokenCredential credential) => new()
    {
        AccountName = "acct",
        BlobEndpoint = server.Endpoint("acct"),
        QueueEndpoint = server.Endpoint("acct"),
        TokenCredential = credential,
    };

    [Fact]
    public async Task Send_TokenCredential_SendsBearerTokenForTheStorageScope()
    {
        await using var server = await LocalHttpServer.StartAsync((_, _) => Created());
        var clock = new ManualTimeProvider();
        var credential = new CountingCredential(clock, TimeSpan.FromHours(1));
        using var http = new HttpClient();
        var queue = new StorageQueueClient(TokenConnection(server, credential), "jobs", http, null, clock);

        await queue.CreateIfNotExistsAsync(Ct);
        await queue.CreateIfNotExistsAsync(Ct);

        Assert.All(server.Requests, r => Assert.Equal("Bearer token-1", r.Headers["Authorization"]));
        Assert.All(server.Requests, r => Assert.Equal("2021-12-02", r.Headers["x-ms-version"]));
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        Assert.Equal(1, credential.Calls);
    }

    [Fact]
    public async Task Send_TokenNearExpiry_FetchesANewOne()
    {
        await using var server = await LocalHttpServer.StartAsync((_, _) => Created());
        var clock = new ManualTimeProvider();
        var credential = new CountingCredential(clock, TimeSpan.FromMinutes(30));
        using var http = new HttpClient();
        var queue = new StorageQueueClient(TokenConnection(server, credential), "jobs", http, null, clock);

        await queue.CreateIfNotExistsAsync(Ct);
        clock.Advance(TimeSpan.FromMinutes(26));
        await queue.CreateIfNotExistsAsync(Ct);

        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Send_ServerBusyThenFine_RetriesUntilItSucceeds()
    {
        await using var server = await LocalHttpServer.StartAsync((_, n) => n <= 2 ? (503, string.Empty, new Dictionary<string, string> { ["x-ms-error-code"] = "ServerBusy" }) : Created());
        using var http = new HttpClient();
        var connection = StorageConnection.Parse($"AccountName=acct;AccountKey={Convert.ToBase64String(new byte[32])};QueueEndpoint={server.Endpoint("acct")}");
        var queue = new StorageQueueClient(connection, "jobs", http, FastRetries);

        Assert.True(await queue.CreateIfNotExistsAsync(Ct));

        Assert.Equal(3, server.Requests.Count);
        Assert.Single(server.Requests.Select(r => r.Headers["x-ms-client-request-id"]).Distinct());
        Assert.All(server.Requests, r => Assert.StartsWith("SharedKey acct:", r.Headers["Authorization"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_AlwaysFailing_GivesUpAfterTheRetryLimitWithTheServiceCode()
    {
        await using var server = await LocalHttpServer.StartAsync((_, _) => (500, "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InternalError</Code><Message>The server encountered an internal error.\nRequestId:1</Message></Error>", NoHeaders));
        using var http = new HttpClient();
        var connection = StorageConnection.Parse($"AccountName=acct;AccountKey={Convert.ToBase64String(new byte[32])};QueueEndpoint={server.Endpoint("acct")}");
        var queue = new StorageQueueClient(connection, "jobs", http, FastRetries with { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<StorageException>(() => queue.CreateIfNotExistsAsync(Ct));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(500, error.Status);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal("PUT /acct/jobs: 500 InternalError: The server encountered an internal error.", error.Message);
    }

    [Fact]
    public async Task Send_ClientError_DoesNotRetry()
    {
        await using var server = await LocalHttpServer.StartAsync((_, _) => (400, string.Empty, new Dictionary<string, string> { ["x-ms-error-code"] = "InvalidResourceName" }));
        using var http = new HttpClient();
        var connection = StorageConnection.Parse($"AccountName=acct;AccountKey={Convert.ToBase64String(new byte[32])};QueueEndpoint={server.Endpoint("acct")}");
        var queue = new StorageQueueClient(connection, "jobs", http, FastRetries);

        var error = await Assert.ThrowsAsync<StorageException>(() => queue.CreateIfNotExistsAsync(Ct));

        Assert.Single(server.Requests);
        Assert.Equal("InvalidResourceName", error.ErrorCode);
    }

    /// <summary>Hands out numbered tokens that expire a fixed time after the clock's now, and records what it was asked.</summary>
    private sealed class CountingCredential(TimeProvider clock, TimeSpan lifetime) : TokenCredential
    {
        public int Calls { get; private set; }

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken($"token-{Calls}", clock.GetUtcNow() + lifetime);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
