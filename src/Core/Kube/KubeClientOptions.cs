namespace Ferry.Core.Kube;

/// <summary>Behaviour of a <see cref="KubeClient"/>: timeouts, retries, discovery cache, request callback.</summary>
public sealed record KubeClientOptions
{
    /// <summary>Time allowed for one HTTP request, headers and body; default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to open a connection; default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a 429, a 5xx that asks for it (or a gateway's 502/503/504), or a lost connection on a verb safe to repeat; default 10, as client-go.</summary>
    public int MaxRetries { get; init; } = 10;

    /// <summary>Median first backoff delay, doubled per attempt with jitter, when the server gives no Retry-After; default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of any retry delay, including a server's <c>Retry-After</c>; default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long discovery documents are cached; default 5 minutes.</summary>
    public TimeSpan DiscoveryTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Connections per server (HTTP/2 connections multiplex many requests each); default 16.</summary>
    public int MaxConnectionsPerServer { get; init; } = 16;

    /// <summary>Namespace used for namespaced objects that name none; default <c>default</c>.</summary>
    public string DefaultNamespace { get; init; } = "default";

    /// <summary>The clock for cache expiry, credential expiry and retry delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Called after every HTTP attempt (never with headers or bodies); must be fast and thread-safe.</summary>
    public Action<KubeRequestInfo>? OnRequest { get; init; }
}
