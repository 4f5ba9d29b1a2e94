using System.Net;
using Ferry.Core.Jobs;
using Ferry.Functions.Composition;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Local;

/// <summary>How <c>ferry serve</c> runs: settings, port, queue, drift interval, workers.</summary>
internal sealed record LocalHostOptions
{
    /// <summary>Apps, clusters, state, webhook secret.</summary>
    public required FerrySettings Settings { get; init; }

    /// <summary>HTTP port (0 picks a free one).</summary>
    public int Port { get; init; } = 7071;

    /// <summary>The address to listen on (loopback unless asked otherwise).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary><c>memory</c> for the in-process queue, else an Azure Storage connection string (Azurite works).</summary>
    public string Queue { get; init; } = "memory";

    /// <summary>How often the drift check runs (the Functions timer is every 180 s).</summary>
    public TimeSpan DriftInterval { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How many jobs run at once (the per-app lease keeps one sync per app).</summary>
    public int Workers { get; init; } = 4;

    /// <summary>How long a received job stays invisible to other workers, and how long a job the pipeline asked to retry waits when it named no delay.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a job whose attempt threw waits before it is visible again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The environment variable <c>ferry serve</c> reads <see cref="ApiToken"/> from when <c>--api-token</c> is not given.</summary>
    public const string ApiTokenVariable = "FERRY_API_TOKEN";

    /// <summary>The bearer token actions (sync, refresh, rollback) need; null refuses every action, saying how to enable them.</summary>
    public string? ApiToken { get; init; }

    /// <summary>Configures logging; by default one-line console logs.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Overrides the clusters file (the demo's simulated cluster).</summary>
    public IClusterConnector? Clusters { get; init; }

    /// <summary>Extra event listeners (telemetry, metrics, notifications).</summary>
    public IReadOnlyList<IFerryEvents> Events { get; init; } = [];

    /// <summary>Hooks on outbound git and Kubernetes calls (request counters).</summary>
    public IReadOnlyList<FerryObservers> Observers { get; init; } = [];

    /// <summary>Pipeline tuning.</summary>
    public AppReconcilerOptions? Reconciler { get; init; }
}
