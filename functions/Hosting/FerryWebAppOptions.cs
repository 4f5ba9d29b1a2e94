using System.Net;
using Ferry.Core.Status;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Hosting;

/// <summary>What the custom handler web app serves from: the status store, the handlers the lead wires in, and where to listen.</summary>
public sealed record FerryWebAppOptions
{
    /// <summary>The largest webhook body accepted (GitHub caps deliveries at 25 MiB); larger answers 413.</summary>
    public const long DefaultMaxWebhookBodyBytes = Ferry.Core.Webhooks.GitHubWebhookIntake.MaxBodyBytes;

    /// <summary>Where app status is read from.</summary>
    public required IStatusStore StatusStore { get; init; }

    /// <summary>The port to listen on (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c>); 0 picks a free one.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The address to listen on; the Functions host calls the handler on loopback.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Handles GitHub deliveries; without one <c>/api/github</c> answers 503.</summary>
    public IWebhookHandler? WebhookHandler { get; init; }

    /// <summary>Handles SyncWorker invocations; without one <c>/SyncWorker</c> answers 503 (so the host retries).</summary>
    public IJobInvocationHandler? JobHandler { get; init; }

    /// <summary>Handles DriftCheck invocations; without one <c>/DriftCheck</c> answers 503.</summary>
    public IDriftInvocationHandler? DriftHandler { get; init; }

    /// <summary>Reads the app catalog's errors and warnings for the page; null shows none.</summary>
    public Func<CancellationToken, Task<Ferry.Core.Jobs.CatalogReport>>? CatalogReport { get; init; }

    /// <summary>The clock for "3 min ago" on the page.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Renders Prometheus text for <c>GET /metrics</c>; null serves no metrics route.</summary>
    public Func<string>? MetricsText { get; init; }

    /// <summary>The webhook body limit in bytes.</summary>
    public long MaxWebhookBodyBytes { get; init; } = DefaultMaxWebhookBodyBytes;

    /// <summary>Configures logging; by default one-line console logs (the host captures the handler's stdout).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
