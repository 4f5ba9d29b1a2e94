using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Storage;

namespace Ferry.Functions.Composition;

/// <summary>The jobs queue and the status store in an Azure Storage account (Azurite works), built from the host's connection settings.</summary>
internal sealed class FerryStorage : IAsyncDisposable
{
    private readonly HttpClient _http;

    private FerryStorage(IJobQueue queue, IStatusStore? store, HttpClient http, string description)
    {
        Queue = queue;
        Store = store;
        _http = http;
        Description = description;
    }

    /// <summary>The jobs queue (<see cref="StorageNames.JobsQueue"/>, base64 JSON messages as the queue trigger binds them).</summary>
    public IJobQueue Queue { get; }

    /// <summary>The status store in <see cref="StorageNames.StatusContainer"/>; null when only the queue was asked for.</summary>
    public IStatusStore? Store { get; }

    /// <summary>Where jobs and status live, for the startup line.</summary>
    public string Description { get; }

    /// <summary>Whether the <c>AzureWebJobsStorage</c> connection is configured (a connection string or <c>AzureWebJobsStorage__*</c> identity settings).</summary>
    public static bool IsConfigured(IReadOnlyDictionary<string, string?> settings) =>
        settings.Any(s => !string.IsNullOrEmpty(s.Value)
            && (s.Key == AppSettingNames.Storage || s.Key.StartsWith(AppSettingNames.Storage + "__", StringComparison.Ordinal)));

    /// <summary>The queue and the blob status store of the <c>AzureWebJobsStorage</c> account, created when missing.</summary>
    public static async Task<FerryStorage> FromSettingsAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        if (!IsConfigured(settings))
        {
            throw new InvalidOperationException(
                $"{AppSettingNames.Storage} is not set: the function app needs a storage account for the {StorageNames.JobsQueue} queue and the {StorageNames.StatusContainer} container " +
                $"(a connection string, or {AppSettingNames.Storage}__accountName with a managed identity)");
        }

        var connection = StorageConnection.FromSettings(settings, AppSettingNames.Storage);
        var http = new HttpClient();
        var blobs = new BlobStatusStore(new StorageBlobClient(connection, StorageNames.StatusContainer, http));
        await blobs.EnsureAsync(cancellationToken);
        var queue = new StorageJobQueue(connection, http, StorageNames.QueueOptions);
        await queue.CreateIfNotExistsAsync(cancellationToken);
        return new FerryStorage(queue, blobs, http, $"status in blob container {StorageNames.StatusContainer}, jobs on queue {StorageNames.JobsQueue}");
    }

    /// <summary>Only the jobs queue, on the account of a connection string (<c>ferry serve --queue</c>).</summary>
    public static async Task<FerryStorage> QueueAsync(string connectionString, CancellationToken cancellationToken)
    {
        var http = new HttpClient();
        var queue = new StorageJobQueue(StorageConnection.Parse(connectionString), http, StorageNames.QueueOptions);
        await queue.CreateIfNotExistsAsync(cancellationToken);
        return new FerryStorage(queue, null, http, $"jobs on storage queue {StorageNames.JobsQueue}");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
