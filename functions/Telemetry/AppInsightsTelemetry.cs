using System.Diagnostics;
using System.Globalization;
using Ferry.Core.Git;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Status;
using Ferry.Core.Webhooks;
using Ferry.Functions.Composition;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace Ferry.Functions.Telemetry;

/// <summary>
/// Ferry's Application Insights telemetry: custom events and metrics for webhooks, syncs and drift (as <see cref="IFerryEvents"/>),
/// a request per Functions invocation, and dependencies for Kubernetes requests and remote git commands, all correlated by operation id.
/// </summary>
internal sealed class AppInsightsTelemetry : IFerryEvents, IAsyncDisposable
{
    private const int MaxListedResources = 10;

    // Only these git commands reach the remote; checkout, cat-file and the like are local work inside the fetch stage.
    private static readonly HashSet<string> RemoteGitCommands = new(["clone", "fetch", "ls-remote"], StringComparer.Ordinal);

    private readonly TelemetryConfiguration _configuration;
    private readonly TelemetryClient _client;
    private readonly TimeProvider _time;
    private readonly AsyncLocal<InvocationTelemetry?> _current = new();

    private AppInsightsTelemetry(TelemetryConfiguration configuration, string roleName, TimeProvider time)
    {
        _configuration = configuration;
        _client = new TelemetryClient(configuration);
        _client.Context.Cloud.RoleName = roleName;
        _client.Context.Cloud.RoleInstance = Environment.MachineName;
        _time = time;
    }

    /// <summary>The invocation running on this async flow, if any.</summary>
    public InvocationTelemetry? Current => _current.Value;

    /// <summary>Telemetry to the connection string's ingestion endpoint; <paramref name="roleName"/> names this app in the portal's maps.</summary>
    public static AppInsightsTelemetry Create(string connectionString, string roleName = "ferry", TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var configuration = new TelemetryConfiguration { ConnectionString = connectionString };
        return new AppInsightsTelemetry(configuration, roleName, time ?? TimeProvider.System);
    }

    /// <summary>Telemetry configured from app settings (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>); null when telemetry is off.</summary>
    public static AppInsightsTelemetry? FromSettings(Func<string, string?> get, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(get);
        var connectionString = get(AppSettingNames.ApplicationInsightsConnectionString);
        return string.IsNullOrWhiteSpace(connectionString)
            ? null
            : Create(connectionString, get(AppSettingNames.SiteName) is { Length: > 0 } site ? site : "ferry", time);
    }

    /// <summary>Starts the request of one invocation; <paramref name="operationId"/> (a delivery id) correlates it, or a new id is made.</summary>
    public InvocationTelemetry StartInvocation(string functionName, string? operationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        var id = string.IsNullOrWhiteSpace(operationId) ? ActivityTraceId.CreateRandom().ToHexString() : operationId;
        var invocation = new InvocationTelemetry(this, _current.Value, functionName, id, _time.GetUtcNow());
        _current.Value = invocation;
        return invocation;
    }

    /// <summary>Starts the request of a queued job's invocation under the job's delivery id and records its queue latency.</summary>
    public InvocationTelemetry StartJob(string functionName, JobMessage job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var invocation = StartInvocation(functionName, job.DeliveryId);
        var latency = _time.GetUtcNow() - job.EnqueuedAt;
        invocation.QueueLatency = latency < TimeSpan.Zero ? TimeSpan.Zero : latency;
        return invocation;
    }

    /// <inheritdoc/>
    public void WebhookReceived(string? deliveryId, WebhookResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var telemetry = new EventTelemetry(TelemetryNames.WebhookReceived);
        var properties = telemetry.Properties;
        Set(properties, TelemetryDimensions.DeliveryId, deliveryId);
        Set(properties, TelemetryDimensions.Event, response.Event);
        Set(properties, TelemetryDimensions.StatusCode, response.StatusCode.ToString(CultureInfo.InvariantCulture));
        Set(properties, TelemetryDimensions.Message, response.Message);
        Set(properties, TelemetryDimensions.Queued, string.Join(',', response.Queued));
        Set(properties, TelemetryDimensions.QueuedCount, response.Queued.Count.ToString(CultureInfo.InvariantCulture));
        Send(telemetry, deliveryId);
    }

    /// <inheritdoc/>
    public void DriftDetected(DriftEvent drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var telemetry = new EventTelemetry(TelemetryNames.DriftDetected);
        var properties = telemetry.Properties;
        Set(properties, TelemetryDimensions.App, drift.App);
        Set(properties, TelemetryDimensions.Revision, drift.Revision);
        Set(properties, TelemetryDimensions.OutOfSync, drift.Resources.Count.ToString(CultureInfo.InvariantCulture));
        Set(properties, TelemetryDimensions.Resources, string.Join(',', drift.Resources.Take(MaxListedResources)));
        Set(properties, TelemetryDimensions.WillSync, drift.WillSync ? "True" : "False");
        Set(properties, TelemetryDimensions.DeliveryId, _current.Value?.OperationId);
        Send(telemetry, null);
    }

    /// <inheritdoc/>
    public void Reconciled(ReconcileEvent reconcile)
    {
        ArgumentNullException.ThrowIfNull(reconcile);
        var status = reconcile.Status;
        var operation = status.Operation;
        var failed = operation?.Phase is OperationPhase.Failed or OperationPhase.Error;
        var telemetry = new EventTelemetry(failed ? TelemetryNames.SyncFailed : TelemetryNames.SyncCompleted);
        var properties = telemetry.Properties;
        var deliveryId = reconcile.Request.DeliveryId ?? _current.Value?.OperationId;
        Set(properties, TelemetryDimensions.App, status.Name);
        Set(properties, TelemetryDimensions.Revision, operation?.Revision ?? status.Revision);
        Set(properties, TelemetryDimensions.SyncStatus, status.SyncStatus.ToString());
        Set(properties, TelemetryDimensions.Health, status.Health.ToString());
        Set(properties, TelemetryDimensions.Reason, reconcile.Request.Reason);
        Set(properties, TelemetryDimensions.DeliveryId, deliveryId);
        Set(properties, TelemetryDimensions.Mode, reconcile.Request.Mode.ToString());
        Set(properties, TelemetryDimensions.Applied, reconcile.Applied ? "True" : "False");
        Set(properties, TelemetryDimensions.Phase, operation?.Phase.ToString());
        Set(properties, TelemetryDimensions.Message, operation?.Message);
        Set(properties, TelemetryDimensions.Cluster, status.Cluster);

        var results = operation?.Results ?? [];
        var created = Count(results, ResourceAction.Created);
        var configured = Count(results, ResourceAction.Configured);
        Set(properties, TelemetryDimensions.Created, created.ToString(CultureInfo.InvariantCulture));
        Set(properties, TelemetryDimensions.Configured, configured.ToString(CultureInfo.InvariantCulture));
        Set(properties, TelemetryDimensions.Unchanged, Count(results, ResourceAction.Unchanged).ToString(CultureInfo.InvariantCulture));
        Set(properties, TelemetryDimensions.Pruned, Count(results, ResourceAction.Pruned).ToString(CultureInfo.InvariantCulture));
        Set(properties, TelemetryDimensions.Failed, Count(results, ResourceAction.Failed).ToString(CultureInfo.InvariantCulture));

        var metrics = new List<(string Name, double Value)>
        {
            (TelemetryNames.SyncDurationMs, reconcile.Duration.TotalMilliseconds),
            (TelemetryNames.ObjectsApplied, created + configured),
        };
        if ((reconcile.QueueLatency ?? _current.Value?.QueueLatency) is { } latency)
        {
            metrics.Add((TelemetryNames.QueueLatencyMs, latency.TotalMilliseconds));
        }

        foreach (var (name, value) in metrics)
        {
            telemetry.Metrics[name] = value;
        }

        Send(telemetry, deliveryId);
        foreach (var (name, value) in metrics)
        {
            var metric = new MetricTelemetry(name, 1, value, value, value, 0);
            Set(metric.Properties, TelemetryDimensions.App, status.Name);
            Set(metric.Properties, TelemetryDimensions.Reason, reconcile.Request.Reason);
            Send(metric, deliveryId);
        }
    }

    /// <summary>Tracks one Kubernetes API request as a dependency of the current invocation (pass as <see cref="KubeClientOptions.OnRequest"/>).</summary>
    public void KubeRequest(KubeRequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = $"{request.Verb} {request.Resource}";
        var telemetry = new DependencyTelemetry
        {
            Type = TelemetryNames.KubernetesDependency,
            Target = request.Server is null ? "kubernetes" : DependencyTarget.Host(request.Server),
            Name = name,
            Data = name,
            Duration = request.Duration,
            Timestamp = _time.GetUtcNow() - request.Duration,
            ResultCode = request.StatusCode.ToString(CultureInfo.InvariantCulture),

            // A GET or DELETE of an object that is not there is an ordinary answer in a sync (create next, already gone).
            Success = request.StatusCode is >= 200 and < 400 || (request.StatusCode == 404 && request.Verb is "GET" or "DELETE"),
        };
        Send(telemetry, null);
    }

    /// <summary>Tracks a git command that talks to a remote as a dependency of the current invocation (pass as <see cref="GitCacheOptions.OnCommand"/>).</summary>
    public void GitCommand(GitCommandInfo command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!RemoteGitCommands.Contains(command.Command))
        {
            return;
        }

        var telemetry = new DependencyTelemetry
        {
            Type = TelemetryNames.GitDependency,
            Target = DependencyTarget.Host(command.Repository),
            Name = "git " + command.Command,
            Data = DependencyTarget.Data(command.Repository),
            Duration = command.Duration,
            Timestamp = _time.GetUtcNow() - command.Duration,
            ResultCode = command.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none",
            Success = command.Succeeded,
        };
        Send(telemetry, null);
    }

    /// <summary>Sends everything buffered to the ingestion endpoint.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _client.FlushAsync(cancellationToken);

    /// <summary>Flushes and releases the channel (call on shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _configuration.Dispose();
        }
    }

    internal void EndInvocation(InvocationTelemetry invocation, InvocationTelemetry? previous, DateTimeOffset startedAt, TimeSpan duration, string responseCode, bool success, string? error)
    {
        var request = new RequestTelemetry
        {
            Id = invocation.RequestId,
            Name = invocation.FunctionName,
            Timestamp = startedAt,
            Duration = duration,
            ResponseCode = responseCode,
            Success = success,
        };
        request.Context.Operation.Id = invocation.OperationId;
        request.Context.Operation.Name = invocation.FunctionName;
        Set(request.Properties, TelemetryDimensions.Error, error);
        _client.TrackRequest(request);
        if (ReferenceEquals(_current.Value, invocation))
        {
            _current.Value = previous;
        }
    }

    private void Send(ITelemetry telemetry, string? operationId)
    {
        var invocation = _current.Value;
        var operation = telemetry.Context.Operation;
        var id = operationId ?? invocation?.OperationId;
        if (id is not null)
        {
            operation.Id = id;
        }

        if (invocation is not null && string.Equals(invocation.OperationId, id, StringComparison.Ordinal))
        {
            operation.ParentId = invocation.RequestId;
            operation.Name = invocation.FunctionName;
        }

        if (telemetry.Timestamp == default)
        {
            telemetry.Timestamp = _time.GetUtcNow();
        }

        _client.Track(telemetry);
    }

    private static int Count(IReadOnlyList<ResourceStatus> results, ResourceAction action) => results.Count(r => r.Action == action);

    private static void Set(IDictionary<string, string> properties, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            properties[key] = value;
        }
    }
}
