namespace Ferry.Core.Status;

/// <summary>Renews a held lease on a timer (a third of its duration) until disposed; remembers when a renewal failed.</summary>
/// <remarks>The timer comes from the store's <see cref="TimeProvider"/>, so tests drive renewal by advancing a manual clock.</remarks>
internal sealed class LeaseRenewal : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _renew;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private readonly object _gate = new();
    private Task _inFlight = Task.CompletedTask;

    public LeaseRenewal(TimeProvider time, TimeSpan duration, Func<CancellationToken, Task> renew)
    {
        _renew = renew;
        var period = duration / 3;
        _timer = time.CreateTimer(_ => Tick(), null, period, period);
    }

    /// <summary>Set when a renewal failed: the lease may belong to another holder now.</summary>
    public Exception? Failure { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await _stop.CancelAsync();
        Task last;
        lock (_gate)
        {
            last = _inFlight;
        }

        try
        {
            await last;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private void Tick()
    {
        lock (_gate)
        {
            // A slow renewal is not stacked on: the next tick tries again.
            if (!_inFlight.IsCompleted || _stop.IsCancellationRequested)
            {
                return;
            }

            _inFlight = RenewOnceAsync();
        }
    }

    private async Task RenewOnceAsync()
    {
        try
        {
            await _renew(_stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
    }
}
