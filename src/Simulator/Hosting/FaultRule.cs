namespace Ferry.Simulator.Hosting;

/// <summary>An injected failure: requests matching the predicate get the status code, a given number of times.</summary>
internal sealed class FaultRule(Func<RecordedRequest, bool> predicate, int statusCode, string reason, int times)
{
    private int remaining = times;

    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;

    /// <summary>Whether this rule fires for the request (consuming one use).</summary>
    public bool TryConsume(RecordedRequest request)
    {
        if (Volatile.Read(ref remaining) <= 0 || !predicate(request))
        {
            return false;
        }

        return Interlocked.Decrement(ref remaining) >= 0;
    }

    public bool Exhausted => Volatile.Read(ref remaining) <= 0;
}
