using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Storage;

namespace Ferry.Functions.Composition;

/// <summary>The jobs queue and the status store in an Azure Storage account (Azurite works), built from the host's connection settings.</summary>
internal sealed class FerryStorage
{
    private FerryStorage(IJobQueue queue, IStatusStore? store, string description)
    {
        Queue = queue;
        Store = store;
        Description = description;
    }

    /// <summary>The jobs queue (<see cref="StorageNames.JobsQueue"/>, base64 JSON messages as the queue trigger binds them).</summary>
    public IJobQueue Queue { get; }

    /// <summary>The status store in <see cref="StorageNames.StatusContainer"/>; null when only the queue was asked for.</summary>
    public IStatusStore? Store { get; }

    /// <summary>Where jobs and status live, for the startup line.</summary>
    public string Description { get; }

    /// <summary>The queue and the blob status store of the <c>AzureWebJobsStorage</c> account (a connection string or identity-based settings), created when missing.</summary>
    public static async Task<FerryStorage> FromSettingsAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        if (!StorageAccount.IsConfigured(settings, AppSettingNames.Storage))
        {
            throw new InvalidOperationException(
                $"{AppSettingNames.Storage} is not set: the function app needs a storage account for the {StorageNames.JobsQueue} queue and the {StorageNames.StatusContainer} container " +
                $"(a connection string, or {AppSettingNames.Storage}__accountName with a managed identity)");
        }

        var account = StorageAccount.FromSettings(settings, AppSettingNames.Storage);
        var blobs = new BlobStatusStore(account.Blobs.GetBlobContainerClient(StorageNames.StatusContainer));
        await blobs.EnsureAsync(cancellationToken);
        var queue = new StorageJobQueue(account.Queues, StorageNames.QueueOptions);
        await queue.CreateIfNotExistsAsync(cancellationToken);
        return new FerryStorage(queue, blobs, $"status in blob container {StorageNames.StatusContainer}, jobs on queue {StorageNames.JobsQueue}");
    }

    /// <summary>Only the jobs queue, on the account of a connection string (<c>ferry serve --queue</c>).</summary>
    public static async Task<FerryStorage> QueueAsync(string connectionString, CancellationToken cancellationToken)
    {
        var queue = new StorageJobQueue(StorageAccount.FromConnectionString(connectionString, "--queue").Queues, StorageNames.QueueOptions);
        await queue.CreateIfNotExistsAsync(cancellationToken);
        return new FerryStorage(queue, null, $"jobs on storage queue {StorageNames.JobsQueue}");
    }
}
