using System.Net;
using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Ferry.Core.Storage;

namespace Ferry.Core.Jobs;

/// <summary>The jobs queue on an Azure Storage queue, written as the Functions host's queue trigger reads it (base64 UTF-8 JSON), poisoning like the host when Ferry consumes it itself.</summary>
public sealed class StorageJobQueue : IJobQueue
{
    private readonly QueueClient queue;
    private readonly QueueClient poisonQueue;
    private readonly TimeProvider timeProvider;
    private readonly SemaphoreSlim poisonQueueGate = new(1, 1);
    private bool poisonQueueExists;

    /// <summary>Creates the job queue on <paramref name="queues"/>'s account (a client in the SDK's default message encoding, as <see cref="StorageAccount"/> makes it).</summary>
    public StorageJobQueue(QueueServiceClient queues, JobQueueOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(queues);
        Options = options ?? new JobQueueOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxDequeueCount, 1);
        this.timeProvider = timeProvider ?? TimeProvider.System;
        queue = queues.GetQueueClient(Options.QueueName);
        poisonQueue = queues.GetQueueClient(Options.PoisonQueueName);
    }

    /// <summary>The queue's options.</summary>
    public JobQueueOptions Options { get; }

    /// <inheritdoc />
    public int MaxDequeueCount => Options.MaxDequeueCount;

    /// <summary>Encodes a job as the message text the Functions host's queue trigger expects: base64 of the UTF-8 JSON.</summary>
    public static string Encode(JobMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(message.ToJson()));
    }

    /// <summary>Decodes queue message text written by <see cref="Encode"/> (or by any producer that base64-encodes the JSON).</summary>
    public static JobMessage Decode(string text) => JobMessage.Parse(DecodeText(text));

    /// <summary>Creates the jobs queue and its poison queue when they do not exist.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await EnsurePoisonQueueAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string> EnqueueAsync(JobMessage message, CancellationToken cancellationToken)
    {
        var receipt = await queue.SendMessageAsync(Encode(message), cancellationToken).ConfigureAwait(false);
        return receipt.Value.MessageId;
    }

    /// <inheritdoc />
    public async Task<QueuedJob?> TryReceiveAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            QueueMessage[] received = await queue.ReceiveMessagesAsync(1, visibilityTimeout, cancellationToken).ConfigureAwait(false);
            if (received.Length == 0)
            {
                return null;
            }

            var message = received[0];
            if (message.DequeueCount > MaxDequeueCount)
            {
                await PoisonAsync(message.MessageId, message.PopReceipt, message.Body.ToString(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            JobMessage job;
            try
            {
                job = Decode(message.Body.ToString());
            }
            catch (JobMessageException)
            {
                // Retrying cannot make an unreadable message readable.
                await PoisonAsync(message.MessageId, message.PopReceipt, message.Body.ToString(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            return new QueuedJob
            {
                Id = message.MessageId,
                Receipt = message.PopReceipt,
                DequeueCount = message.DequeueCount,
                InsertedOn = message.InsertedOn ?? timeProvider.GetUtcNow(),
                Message = job,
            };
        }
    }

    /// <inheritdoc />
    public async Task<QueuedJob> WaitForMessageAsync(TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        // Polls like the host's queue listener: back off exponentially while the queue is empty.
        var delay = Options.MinPollingInterval;
        while (true)
        {
            if (await TryReceiveAsync(visibilityTimeout, cancellationToken).ConfigureAwait(false) is { } job)
            {
                return job;
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 < Options.MaxPollingInterval ? delay * 2 : Options.MaxPollingInterval;
        }
    }

    /// <inheritdoc />
    public Task<bool> CompleteAsync(QueuedJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return DeleteAsync(job.Id, job.Receipt, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<AbandonOutcome> AbandonAsync(QueuedJob job, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.DequeueCount >= MaxDequeueCount)
        {
            return await PoisonAsync(job.Id, job.Receipt, Encode(job.Message), cancellationToken).ConfigureAwait(false)
                ? AbandonOutcome.Poisoned
                : AbandonOutcome.Lost;
        }

        return await UpdateAsync(job, retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.Zero, cancellationToken).ConfigureAwait(false) is null
            ? AbandonOutcome.Lost
            : AbandonOutcome.RetryScheduled;
    }

    /// <inheritdoc />
    public Task<QueuedJob?> RenewAsync(QueuedJob job, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return UpdateAsync(job, visibilityTimeout, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Storage returns at most 32 messages per peek.</remarks>
    public async Task<IReadOnlyList<PoisonedJob>> PeekPoisonedAsync(int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        List<PoisonedJob> jobs = [];
        PeekedMessage[] messages;
        try
        {
            messages = await poisonQueue.PeekMessagesAsync(Math.Min(maxCount, poisonQueue.MaxPeekableMessages), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return jobs;
        }

        foreach (var message in messages)
        {
            string text;
            try
            {
                text = DecodeText(message.Body.ToString());
            }
            catch (JobMessageException e)
            {
                jobs.Add(new PoisonedJob { Id = message.MessageId, Text = message.Body.ToString(), Error = e.Message });
                continue;
            }

            try
            {
                jobs.Add(new PoisonedJob { Id = message.MessageId, Text = text, Message = JobMessage.Parse(text) });
            }
            catch (JobMessageException e)
            {
                jobs.Add(new PoisonedJob { Id = message.MessageId, Text = text, Error = e.Message });
            }
        }

        return jobs;
    }

    private async Task<QueuedJob?> UpdateAsync(QueuedJob job, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            var receipt = await queue.UpdateMessageAsync(job.Id, job.Receipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return job with { Receipt = receipt.Value.PopReceipt };
        }
        catch (RequestFailedException e) when (IsLostDelivery(e))
        {
            return null;
        }
    }

    /// <summary>Copies the message text to the poison queue as it was, then deletes the original; false when the delivery was no longer ours.</summary>
    private async Task<bool> PoisonAsync(string messageId, string popReceipt, string text, CancellationToken cancellationToken)
    {
        await EnsurePoisonQueueAsync(cancellationToken).ConfigureAwait(false);
        await poisonQueue.SendMessageAsync(text, cancellationToken).ConfigureAwait(false);
        return await DeleteAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (IsLostDelivery(e))
        {
            return false;
        }
    }

    private async Task EnsurePoisonQueueAsync(CancellationToken cancellationToken)
    {
        if (poisonQueueExists)
        {
            return;
        }

        await poisonQueueGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!poisonQueueExists)
            {
                await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                poisonQueueExists = true;
            }
        }
        finally
        {
            poisonQueueGate.Release();
        }
    }

    private static bool IsLostDelivery(RequestFailedException e) =>
        e.Status == (int)HttpStatusCode.NotFound || (e.Status == (int)HttpStatusCode.BadRequest && e.ErrorCode == "PopReceiptMismatch");

    private static string DecodeText(string text)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(text));
        }
        catch (FormatException e)
        {
            throw new JobMessageException(null, "is not base64 text (the Functions host's queue trigger expects base64)", e);
        }
        catch (DecoderFallbackException e)
        {
            throw new JobMessageException(null, "is not UTF-8 once decoded from base64", e);
        }
    }
}
