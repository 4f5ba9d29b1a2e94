using System.Diagnostics;
using System.Globalization;

namespace Ferry.Functions.Telemetry;

/// <summary>One Functions invocation as an Application Insights request; events and dependencies inside it share its operation id.</summary>
/// <remarks>Disposing tracks the request and ends the scope; until then, telemetry sent on this async flow belongs to it.</remarks>
internal sealed class InvocationTelemetry : IDisposable
{
    private readonly AppInsightsTelemetry _owner;
    private readonly InvocationTelemetry? _previous;
    private readonly DateTimeOffset _startedAt;
    private readonly long _started;
    private int _statusCode = 200;
    private string? _error;
    private bool _disposed;

    internal InvocationTelemetry(AppInsightsTelemetry owner, InvocationTelemetry? previous, string functionName, string operationId, DateTimeOffset startedAt)
    {
        _owner = owner;
        _previous = previous;
        FunctionName = functionName;
        OperationId = operationId;
        RequestId = ActivitySpanId.CreateRandom().ToHexString();
        _startedAt = startedAt;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The function invoked (the request's name).</summary>
    public string FunctionName { get; }

    /// <summary>The operation id shared by the request, its dependencies and its events (a webhook delivery id where there is one).</summary>
    public string OperationId { get; }

    /// <summary>The request's own id, the parent of telemetry sent inside it.</summary>
    public string RequestId { get; }

    /// <summary>Time from enqueue to pickup when this invocation runs a queued job.</summary>
    public TimeSpan? QueueLatency { get; internal set; }

    /// <summary>Records the invocation's answer; status codes of 400 and above count as failures.</summary>
    public void Complete(int statusCode) => _statusCode = statusCode;

    /// <summary>Records that the invocation failed with an exception (its type is kept, never its message).</summary>
    public void Fail(Exception exception, int statusCode = 500)
    {
        ArgumentNullException.ThrowIfNull(exception);
        _statusCode = statusCode;
        _error = exception.GetType().Name;
    }

    /// <summary>Tracks the request and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _owner.EndInvocation(this, _previous, _startedAt, Stopwatch.GetElapsedTime(_started), _statusCode.ToString(CultureInfo.InvariantCulture), _statusCode < 400, _error);
    }
}
