using Ferry.Core.Webhooks;

namespace Ferry.Core.Jobs;

/// <summary>Fans events out to several listeners; a listener that throws is ignored so reporting never breaks a sync.</summary>
public sealed class FerryEvents(IEnumerable<IFerryEvents> listeners) : IFerryEvents
{
    private readonly IFerryEvents[] _listeners = [.. listeners];

    /// <summary>No listeners.</summary>
    public static FerryEvents None { get; } = new([]);

    /// <inheritdoc/>
    public void WebhookReceived(string? deliveryId, WebhookResponse response) => Each(l => l.WebhookReceived(deliveryId, response));

    /// <inheritdoc/>
    public void DriftDetected(DriftEvent drift) => Each(l => l.DriftDetected(drift));

    /// <inheritdoc/>
    public void Reconciled(ReconcileEvent reconcile) => Each(l => l.Reconciled(reconcile));

    private void Each(Action<IFerryEvents> report)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                report(listener);
            }
#pragma warning disable CA1031 // A broken listener must not fail the sync it reports on.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
