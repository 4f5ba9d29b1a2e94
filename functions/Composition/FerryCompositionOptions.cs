using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Functions.Telemetry;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Composition;

/// <summary>The parts a <see cref="FerryComposition"/> is built from; unset parts get the embedded defaults.</summary>
internal sealed record FerryCompositionOptions
{
    /// <summary>Apps, clusters, state, webhook secret, Git credentials.</summary>
    public required FerrySettings Settings { get; init; }

    /// <summary>The jobs queue; null means an in-process queue.</summary>
    public IJobQueue? Queue { get; init; }

    /// <summary>The status store; null means files under the state directory.</summary>
    public IStatusStore? Store { get; init; }

    /// <summary>Overrides the clusters file (the demo's simulated cluster).</summary>
    public IClusterConnector? Clusters { get; init; }

    /// <summary>Pipeline tuning.</summary>
    public AppReconcilerOptions? Reconciler { get; init; }

    /// <summary>Extra event listeners.</summary>
    public IReadOnlyList<IFerryEvents> Events { get; init; } = [];

    /// <summary>Hooks on outbound Git and Kubernetes calls.</summary>
    public IReadOnlyList<FerryObservers> Observers { get; init; } = [];

    /// <summary>Application Insights; null reads <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>.</summary>
    public AppInsightsTelemetry? Telemetry { get; init; }

    /// <summary>Loggers for the pipeline.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider? Time { get; init; }
}
