using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Core.Notifications;

/// <summary>
/// Turns Ferry's events into notifications: on-sync-succeeded, on-sync-failed, on-health-degraded and on-deployed to webhook
/// targets (generic JSON, Slack, Teams), and GitHub commit statuses <c>ferry/&lt;app&gt;</c> (pending when a sync starts, then
/// success or failure). Deliveries run in the background with retries, so reporting never slows or fails a sync.
/// </summary>
public sealed partial class Notifier : IFerryEvents, IAsyncDisposable
{
    private readonly NotificationSettings _settings;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Func<string, CancellationToken, Task<string?>> _repoUrlOf;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Func<CancellationToken, Task>> _queue = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _worker;
    private long _queued;
    private long _done;

    /// <summary>Creates a notifier; <paramref name="repoUrlOf"/> gives an app's source repository URL (for commit statuses).</summary>
    public Notifier(NotificationSettings settings, Func<string, CancellationToken, Task<string?>> repoUrlOf, HttpClient? http = null, TimeProvider? time = null, ILogger<Notifier>? logger = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _repoUrlOf = repoUrlOf ?? throw new ArgumentNullException(nameof(repoUrlOf));
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Creates a notifier that looks repositories up in the app catalog.</summary>
    public static Notifier ForCatalog(NotificationSettings settings, ICatalogProvider catalogs, HttpClient? http = null, TimeProvider? time = null, ILogger<Notifier>? logger = null) =>
        new(settings, async (app, ct) => (await catalogs.GetAsync(ct).ConfigureAwait(false)).FindApplication(app)?.Source.RepoUrl, http, time, logger);

    /// <inheritdoc/>
    public void WebhookReceived(string? deliveryId, WebhookResponse response)
    {
    }

    /// <inheritdoc/>
    public void DriftDetected(DriftEvent drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        if (drift.WillSync)
        {
            CommitStatus(drift.App, drift.Revision, "pending", $"syncing {drift.Resources.Count} object(s)");
        }
    }

    /// <inheritdoc/>
    public void Reconciled(ReconcileEvent reconcile)
    {
        ArgumentNullException.ThrowIfNull(reconcile);
        var status = reconcile.Status;
        var operation = status.Operation;
        // A sync that ran, or a forced sync (CLI, rollback) that could not run at all; a refresh keeps the last operation, so it is never reported again.
        var isSync = (reconcile.Applied && operation is { DryRun: false })
            || (reconcile.Request.Mode == ReconcileMode.ForceSync && !reconcile.Request.DryRun && operation is { Phase: OperationPhase.Error });
        if (isSync)
        {
            var succeeded = operation!.Phase == OperationPhase.Succeeded;
            Notify(NotificationTrigger.SyncSucceeded, status, operation, succeeded);
            Notify(NotificationTrigger.SyncFailed, status, operation, operation.Phase is OperationPhase.Failed or OperationPhase.Error);
            if (operation.Revision is { } revision)
            {
                CommitStatus(status.Name, revision, succeeded ? "success" : "failure", Truncate(operation.Message ?? operation.Phase.ToString(), 140));
            }
        }

        // on-deployed: once per successful sync, when its objects are first Healthy (at the end of the sync or at a later refresh).
        // The pipeline records that moment on the history entry, so the previous status says whether it was announced already.
        if (status.History is [.., var deployed] && deployed.HealthyAt is not null
            && !(reconcile.Previous?.History is [.., var before] && before.Id == deployed.Id && before.HealthyAt is not null))
        {
            Notify(NotificationTrigger.Deployed, status, operation, true);
        }

        // on-health-degraded: on the change to Degraded, compared with the recorded status rather than memory, so a restart does not repeat it.
        var previousHealth = reconcile.Previous?.Health ?? HealthStatusCode.Unknown;
        if (status.Health == HealthStatusCode.Degraded && previousHealth != HealthStatusCode.Degraded)
        {
            Notify(NotificationTrigger.HealthDegraded, status, operation, true, status.HealthMessage);
        }
    }

    /// <summary>Waits until every delivery queued so far has finished (succeeded or given up).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queued);
        while (Interlocked.Read(ref _done) < target)
        {
            // The real clock: a test clock that never advances must not stall a flush.
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Finishes queued deliveries, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _worker.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private void Notify(NotificationTrigger trigger, AppStatus status, OperationState? operation, bool when, string? message = null)
    {
        if (!when)
        {
            return;
        }

        var notification = new Notification
        {
            Trigger = trigger,
            App = status.Name,
            Revision = operation?.Revision ?? status.Revision,
            SyncStatus = status.SyncStatus,
            Health = status.Health,
            Message = message ?? operation?.Message,
            Reason = operation?.Reason,
            At = _time.GetUtcNow(),
        };
        foreach (var target in _settings.Webhooks.Where(t => t.Triggers.Contains(trigger)))
        {
            var body = NotificationPayloads.For(target.Format, notification);
            Enqueue(ct => DeliverAsync(target.Name, target.Url, body, null, ct));
        }
    }

    private void CommitStatus(string app, string revision, string state, string description)
    {
        if (_settings.GitHub is not { } github)
        {
            return;
        }

        Enqueue(async ct =>
        {
            var repoUrl = await _repoUrlOf(app, ct).ConfigureAwait(false);
            var normalized = repoUrl is null ? null : WebhookRepoUrl.Normalize(repoUrl);
            var parts = normalized?.Split('/');
            if (parts is not { Length: 3 } || !string.Equals(parts[0], github.Host, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            var body = new JsonObject
            {
                ["state"] = state,
                ["context"] = $"ferry/{app}",
                ["description"] = description,
            };
            if (github.TargetUrl is { } link)
            {
                body["target_url"] = link.Replace("{app}", Uri.EscapeDataString(app), StringComparison.Ordinal);
            }

            var url = new Uri(github.ApiUrl, $"{github.ApiUrl.AbsolutePath.TrimEnd('/')}/repos/{parts[1]}/{parts[2]}/statuses/{Uri.EscapeDataString(revision)}");
            await DeliverAsync($"github:{parts[1]}/{parts[2]}", url, body, github.Token, ct).ConfigureAwait(false);
        });
    }

    private void Enqueue(Func<CancellationToken, Task> delivery)
    {
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(delivery))
        {
            Interlocked.Increment(ref _done);
        }
    }

    private async Task RunAsync()
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
        {
            try
            {
                await delivery(_stopping.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A broken delivery must not stop the ones after it.
            catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
#pragma warning restore CA1031
            {
                LogDeliveryError(_logger, "(delivery)", ex.GetType().Name);
            }
            finally
            {
                Interlocked.Increment(ref _done);
            }
        }
    }

    /// <summary>POSTs JSON with retries on connection errors, 429 and 5xx; logs the target's name and status, never its URL or token.</summary>
    private async Task DeliverAsync(string target, Uri url, JsonObject body, string? token, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            string? problem;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ferry", "1.0"));
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                    request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_settings.RequestTimeout);
                using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    LogDelivered(_logger, target, (int)response.StatusCode, attempt);
                    return;
                }

                problem = $"HTTP {(int)response.StatusCode}";
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    LogGaveUp(_logger, target, problem, attempt);
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                problem = ex.HttpRequestError.ToString();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem = "timeout";
            }

            if (attempt >= _settings.MaxAttempts)
            {
                LogGaveUp(_logger, target, problem, attempt);
                return;
            }

            LogRetrying(_logger, target, problem, attempt);
            await Task.Delay(_settings.RetryDelay * Math.Pow(2, attempt - 1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification to {Target} delivered ({StatusCode}) after {Attempts} attempt(s)")]
    private static partial void LogDelivered(ILogger logger, string target, int statusCode, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification to {Target} failed ({Problem}) on attempt {Attempt}; retrying")]
    private static partial void LogRetrying(ILogger logger, string target, string problem, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification to {Target} failed ({Problem}) after {Attempts} attempt(s); giving up")]
    private static partial void LogGaveUp(ILogger logger, string target, string problem, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification delivery {Target} threw {ExceptionType}")]
    private static partial void LogDeliveryError(ILogger logger, string target, string exceptionType);
}
