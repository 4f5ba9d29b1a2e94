using Ferry.Core.Webhooks;

namespace Ferry.Core.Jobs;

/// <summary>What Ferry reports as it works, for metrics, telemetry and notifications; implementations must not throw.</summary>
public interface IFerryEvents
{
    /// <summary>A webhook delivery was handled.</summary>
    void WebhookReceived(string? deliveryId, WebhookResponse response);

    /// <summary>A refresh found the app out of sync with Git.</summary>
    void DriftDetected(DriftEvent drift);

    /// <summary>A reconcile finished (synced, compared, or failed) and its status was recorded.</summary>
    void Reconciled(ReconcileEvent reconcile);
}
