using Ferry.Core.Jobs;
using Ferry.Core.Webhooks;
using Ferry.Functions.Telemetry;

namespace Ferry.Functions.Composition;

/// <summary>
/// Everything the six functions call, wired once per process: the runtime (catalog, Git, renderers, clusters, status store, pipeline),
/// the jobs queue, the webhook intake, the job processor, the drift check and telemetry. The worker and <c>ferry serve</c> both build one.
/// </summary>
internal sealed class FerryComposition : IAsyncDisposable
{
    private FerryComposition(FerryRuntime runtime, IJobQueue queue, AppInsightsTelemetry? telemetry, TimeProvider time, string description)
    {
        Runtime = runtime;
        Queue = queue;
        Telemetry = telemetry;
        Time = time;
        Description = description;
        Intake = new GitHubWebhookIntake(runtime.Catalogs, queue, runtime.Settings.WebhookSecret, new DeliveryDeduplicator(time), time, runtime.Events,
            runtime.Settings.AppsIsRepository ? runtime.Settings.Apps : null);
        Processor = new JobProcessor(runtime.Reconciler, sweep: new FleetSweep(runtime.Catalogs, runtime.Reconciler, queue, runtime.Clusters, time));
        Drift = new DriftCheck(runtime.Catalogs, queue, time, runtime.Store, runtime.Clusters);
    }

    /// <summary>The wired Core parts.</summary>
    public FerryRuntime Runtime { get; }

    /// <summary>The jobs queue the webhook and the drift check write to.</summary>
    public IJobQueue Queue { get; }

    /// <summary>Verifies GitHub deliveries and enqueues jobs.</summary>
    public GitHubWebhookIntake Intake { get; }

    /// <summary>Runs the pipeline for one job.</summary>
    public JobProcessor Processor { get; }

    /// <summary>Enqueues a drift sweep per cluster.</summary>
    public DriftCheck Drift { get; }

    /// <summary>Application Insights, when a connection string is set.</summary>
    public AppInsightsTelemetry? Telemetry { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Where status and jobs live, for the startup line.</summary>
    public string Description { get; }

    /// <summary>The function app in Azure: settings from the app settings, jobs and status in the <c>AzureWebJobsStorage</c> account.</summary>
    public static async Task<FerryComposition> FromSettingsAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string? Get(string name) => settings.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        var storage = await FerryStorage.FromSettingsAsync(settings, cancellationToken);
        return await CreateAsync(new FerryCompositionOptions { Settings = FerrySettings.FromEnvironment(Get), Queue = storage.Queue, Store = storage.Store }, cancellationToken,
            storage.Description);
    }

    /// <summary>Builds the composition from explicit parts (<c>ferry serve</c>, tests).</summary>
    public static Task<FerryComposition> CreateAsync(FerryCompositionOptions options, CancellationToken cancellationToken) =>
        CreateAsync(options, cancellationToken, options.Queue is InMemoryJobQueue ? "jobs in process" : "jobs on a storage queue");

    private static async Task<FerryComposition> CreateAsync(FerryCompositionOptions options, CancellationToken cancellationToken, string description)
    {
        ArgumentNullException.ThrowIfNull(options);
        var time = options.Time ?? TimeProvider.System;
        var telemetry = options.Telemetry ?? AppInsightsTelemetry.FromSettings(Environment.GetEnvironmentVariable, time);
        var events = new FerryEvents(telemetry is null ? options.Events : [.. options.Events, telemetry]);
        var observers = FerryObservers.Combine([.. options.Observers, new FerryObservers
        {
            OnGitCommand = telemetry is null ? null : telemetry.GitCommand,
            OnKubeRequest = telemetry is null ? null : telemetry.KubeRequest,
        }]);
        var runtime = await FerryRuntime.CreateAsync(options.Settings, cancellationToken, options.Clusters, options.Store, options.Reconciler, options.Loggers, time, events, observers);
        var queue = options.Queue ?? new InMemoryJobQueue();
        return new FerryComposition(runtime, queue, telemetry, time, description);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        if (Telemetry is not null)
        {
            // Flushes what is still buffered before the process ends.
            await Telemetry.DisposeAsync();
        }
    }
}
