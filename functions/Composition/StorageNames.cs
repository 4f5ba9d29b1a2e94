using Ferry.Core.Jobs;

namespace Ferry.Functions.Composition;

/// <summary>The queues and blob containers Ferry uses in its storage account; <c>infra/modules/storage.bicep</c> creates exactly these.</summary>
public static class StorageNames
{
    /// <summary>The jobs queue (SyncWorker's queue trigger; the webhook and drift check enqueue to it).</summary>
    public const string JobsQueue = "ferry-jobs";

    /// <summary>Where the Functions host moves a job after its last failed attempt (the host's <c>&lt;queue&gt;-poison</c> convention).</summary>
    public const string PoisonQueue = JobsQueue + "-poison";

    /// <summary>The container of per-app status documents (blob leases are the per-app lock).</summary>
    public const string StatusContainer = "ferry-status";

    /// <summary>The container deployment packages are uploaded to (Flex Consumption deploys from it; Premium runs the zip from it).</summary>
    public const string DeploymentContainer = "ferry-deployments";

    /// <summary>Queue options with these names and the host's retry policy.</summary>
    public static JobQueueOptions QueueOptions { get; } = new() { QueueName = JobsQueue, PoisonQueueName = PoisonQueue };
}
