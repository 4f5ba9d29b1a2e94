namespace Ferry.Core.Webhooks;

/// <summary>Remembers recent <c>X-GitHub-Delivery</c> ids for a time window, bounded in size and safe to share between requests.</summary>
public sealed class DeliveryDeduplicator
{
    /// <summary>How long an id is remembered unless told otherwise.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>How many ids are remembered at most unless told otherwise; the oldest are forgotten first.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset Expiry)> _order = new();

    /// <summary>Creates a de-duplicator that reads the time from <paramref name="timeProvider"/>.</summary>
    public DeliveryDeduplicator(TimeProvider timeProvider, TimeSpan? window = null, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var span = window ?? DefaultWindow;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero, nameof(window));
        _time = timeProvider;
        _window = span;
        _capacity = capacity;
    }

    /// <summary>How many ids are remembered now (expired ones are dropped lazily).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _expiries.Count;
            }
        }
    }

    /// <summary>
    /// Records a delivery id; true when it was not seen within the window (process it), false for a repeat (skip it).
    /// A missing id cannot be de-duplicated, so it is always "first seen" and not remembered.
    /// </summary>
    public bool TryRegister(string? deliveryId)
    {
        if (string.IsNullOrEmpty(deliveryId))
        {
            return true;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Expire(now);
            if (_expiries.TryGetValue(deliveryId, out var expiry) && expiry > now)
            {
                return false;
            }

            while (_expiries.Count >= _capacity && _order.TryDequeue(out var oldest))
            {
                Forget(oldest);
            }

            var until = now + _window;
            _expiries[deliveryId] = until;
            _order.Enqueue((deliveryId, until));
            return true;
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && oldest.Expiry <= now)
        {
            _order.Dequeue();
            Forget(oldest);
        }
    }

    private void Forget((string Id, DateTimeOffset Expiry) entry)
    {
        // The queue may hold a stale entry for an id registered again later; only the newest entry removes it.
        if (_expiries.TryGetValue(entry.Id, out var current) && current == entry.Expiry)
        {
            _expiries.Remove(entry.Id);
        }
    }
}
