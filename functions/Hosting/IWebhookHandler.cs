namespace Ferry.Functions.Hosting;

/// <summary>Handles one GitHub webhook delivery: verify the signature on the raw bytes, match apps, enqueue jobs.</summary>
public interface IWebhookHandler
{
    /// <summary>Handles a delivery whose body the adapter has read byte-exact (and already refused when over the size limit).</summary>
    Task<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken);
}
