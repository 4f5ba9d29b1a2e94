namespace Ferry.Core.Storage;

/// <summary>How the storage clients talk to the service: REST version and retry policy for 5xx, 429 and network failures.</summary>
public sealed record StorageClientOptions
{
    /// <summary>The <c>x-ms-version</c> sent with every request.</summary>
    public string ApiVersion { get; init; } = "2021-12-02";

    /// <summary>How many times a request is retried after a 5xx, 429 or network failure (0: never).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The delay before the first retry; each further retry doubles it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between two attempts, also the cap on a server's <c>Retry-After</c>.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long before a bearer token's expiry a new one is fetched.</summary>
    public TimeSpan TokenRefreshMargin { get; init; } = TimeSpan.FromMinutes(5);
}
