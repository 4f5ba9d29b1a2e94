using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Storage;
using Ferry.Core.Webhooks;
using Ferry.Functions.Hosting;

namespace Ferry.Functions.Composition;

/// <summary>
/// What `ferry handler` serves inside Azure Functions: settings from app settings, the job queue and status blobs in the
/// `AzureWebJobsStorage` account (identity-based or connection string), and the three function bodies.
/// </summary>
internal sealed class AzureComposition : IAsyncDisposable
{
    private readonly HttpClient _http;

    private AzureComposition(FerryRuntime runtime, FerryHandlers handlers, HttpClient http, string storageDescription)
    {
        Runtime = runtime;
        Handlers = handlers;
        _http = http;
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
        var http = new HttpClient();
        var events = new FerryEvents(listeners);
        IStatusStore store;
        IJobQueue queue;
        string description;
        if (HasStorage())
        {
            var connection = StorageConnection.FromEnvironment(AppSettingNames.Storage);
            var blobs = new BlobStatusStore(new StorageBlobClient(connection, BlobStatusStore.DefaultContainer, http));
            await blobs.EnsureAsync(cancellationToken);
            var storageQueue = new StorageJobQueue(connection, http);
            await storageQueue.CreateIfNotExistsAsync(cancellationToken);
            store = blobs;
            queue = storageQueue;
            description = $"status in blob container {BlobStatusStore.DefaultContainer}, jobs on queue ferry-jobs";
        }
        else
        {
            store = new FileStatusStore(state);
            queue = new InMemoryJobQueue();
            description = $"no {AppSettingNames.Storage}: status under {Path.GetFullPath(state)}, jobs in process (nothing consumes them outside `ferry serve`)";
        }

        var runtime = await FerryRuntime.CreateAsync(settings, cancellationToken, store: store, events: events);
        var intake = new GitHubWebhookIntake(runtime.Catalogs, queue, settings.WebhookSecret, new DeliveryDeduplicator(TimeProvider.System), TimeProvider.System, events);
        var handlers = new FerryHandlers(intake, new JobProcessor(runtime.Reconciler), new DriftCheck(runtime.Catalogs, queue));
        return new AzureComposition(runtime, handlers, http, description);
    }

    /// <summary>The web app options for these handlers.</summary>
    public FerryWebAppOptions WebAppOptions(int port) => new()
    {
        StatusStore = Runtime.Store,
        Port = port,
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
        _http.Dispose();
    }
}
