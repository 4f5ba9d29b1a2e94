using Ferry.Core.Jobs;
using Ferry.Core.Metrics;
using Ferry.Core.Status;
using Ferry.Core.Storage;
using Ferry.Core.Webhooks;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;

namespace Ferry.Functions.Composition;

/// <summary>
/// What `ferry handler` serves inside Azure Functions: settings from app settings, the job queue and status blobs in the
/// `AzureWebJobsStorage` account (identity-based or connection string), and the three function bodies.
/// </summary>
internal sealed class AzureComposition : IAsyncDisposable
{
    private readonly AppInsightsTelemetry? _telemetry;

    private AzureComposition(FerryRuntime runtime, FerryHandlers handlers, string storageDescription, AppInsightsTelemetry? telemetry)
    {
        _telemetry = telemetry;
        Runtime = runtime;
        Handlers = handlers;
        StorageDescription = storageDescription;
    }

    /// <summary>The wired runtime.</summary>
    public FerryRuntime Runtime { get; }

    /// <summary>The function bodies.</summary>
    public FerryHandlers Handlers { get; }

    /// <summary>Where status and jobs live, for the startup line.</summary>
    public string StorageDescription { get; }

    /// <summary>Builds everything from the environment; without a storage account it falls back to files under <paramref name="state"/> and an in-process queue.</summary>
    public static async Task<AzureComposition> CreateAsync(string state, IReadOnlyList<IFerryEvents> listeners, CancellationToken cancellationToken)
    {
        var settings = FerrySettings.FromEnvironment(Environment.GetEnvironmentVariable) with { State = state };
        var telemetry = AppInsightsTelemetry.FromSettings(Environment.GetEnvironmentVariable);
        var events = new FerryEvents(telemetry is null ? listeners : [.. listeners, telemetry]);
        var observers = new FerryObservers { OnGitCommand = telemetry is null ? null : telemetry.GitCommand, OnKubeRequest = telemetry is null ? null : telemetry.KubeRequest };
        IStatusStore store;
        IJobQueue queue;
        string description;
        if (HasStorage())
        {
            var account = StorageAccount.FromEnvironment(AppSettingNames.Storage);
            var blobs = new BlobStatusStore(account.Blobs.GetBlobContainerClient(StorageNames.StatusContainer));
            await blobs.EnsureAsync(cancellationToken);
            var storageQueue = new StorageJobQueue(account.Queues, StorageNames.QueueOptions);
            await storageQueue.CreateIfNotExistsAsync(cancellationToken);
            store = blobs;
            queue = storageQueue;
            description = $"status in blob container {StorageNames.StatusContainer}, jobs on queue {StorageNames.JobsQueue}";
        }
        else
        {
            store = new FileStatusStore(state);
            queue = new InMemoryJobQueue();
            description = $"no {AppSettingNames.Storage}: status under {Path.GetFullPath(state)}, jobs in process (nothing consumes them outside `ferry serve`)";
        }

        var runtime = await FerryRuntime.CreateAsync(settings, cancellationToken, store: store, events: events, observers: observers);
        var intake = new GitHubWebhookIntake(runtime.Catalogs, queue, settings.WebhookSecret, new DeliveryDeduplicator(TimeProvider.System), TimeProvider.System, runtime.Events, settings.AppsIsRepository ? settings.Apps : null);
        var handlers = new FerryHandlers(intake, new JobProcessor(runtime.Reconciler), new DriftCheck(runtime.Catalogs, queue, TimeProvider.System, runtime.Store), telemetry);
        return new AzureComposition(runtime, handlers, description, telemetry);
    }

    /// <summary>The web app options for these handlers.</summary>
    public FerryWebAppOptions WebAppOptions(int port) => new()
    {
        StatusStore = Runtime.Store,
        CatalogReport = ct => CatalogReport.ReadAsync(Runtime.Catalogs, ct),
        Port = port,
        MetricsText = () => PrometheusText.Render(Runtime.Metrics),
        WebhookHandler = Handlers,
        JobHandler = Handlers,
        DriftHandler = Handlers,
    };

    private static bool HasStorage() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AppSettingNames.Storage))
        || Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith(AppSettingNames.Storage + "__", StringComparison.Ordinal));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        if (_telemetry is not null)
        {
            // Flushes what is still buffered before the host recycles the process.
            await _telemetry.DisposeAsync();
        }
    }
}
