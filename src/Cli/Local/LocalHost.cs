using Ferry.Core.Jobs;
using Ferry.Core.Metrics;
using Ferry.Core.Storage;
using Ferry.Core.Webhooks;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Local;

/// <summary>
/// Plays the Functions host's part on one machine (<c>ferry serve</c>): the same HTTP routes, a queue with the host's
/// semantics (at-least-once, dequeue count, poison after 5), workers that run the pipeline, and the drift timer.
/// </summary>
internal sealed partial class LocalHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FerryRuntime _runtime;
    private readonly IJobQueue _queue;
    private readonly JobProcessor _processor;
    private readonly DriftCheck _drift;
    private readonly LocalHostOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _loops = [];
    private AppInsightsTelemetry? _telemetry;

    private LocalHost(WebApplication app, FerryRuntime runtime, IJobQueue queue, JobProcessor processor, DriftCheck drift, LocalHostOptions options, ILogger logger)
    {
        _app = app;
        _runtime = runtime;
        _queue = queue;
        _processor = processor;
        _drift = drift;
        _options = options;
        _logger = logger;
    }

    /// <summary>The address the host listens on.</summary>
    public Uri BaseAddress => FerryWebApp.BaseAddress(_app);

    /// <summary>Where the app catalog comes from.</summary>
    public ICatalogProvider Catalogs => _runtime.Catalogs;

    /// <summary>The job queue (tests and the demo peek at it).</summary>
    public IJobQueue Queue => _queue;

    /// <summary>Builds and starts the host.</summary>
    public static async Task<LocalHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken)
    {
        // Telemetry goes to Application Insights locally too when a connection string is set.
        var telemetry = AppInsightsTelemetry.FromSettings(Environment.GetEnvironmentVariable);
        var events = new FerryEvents(telemetry is null ? options.Events : [.. options.Events, telemetry]);
        var observers = FerryObservers.Combine([.. options.Observers, new FerryObservers { OnGitCommand = telemetry is null ? null : telemetry.GitCommand, OnKubeRequest = telemetry is null ? null : telemetry.KubeRequest }]);
        var runtime = await FerryRuntime.CreateAsync(options.Settings, cancellationToken, options.Clusters, options: options.Reconciler, events: events, observers: observers);
        IJobQueue queue;
        if (string.Equals(options.Queue, "memory", StringComparison.OrdinalIgnoreCase))
        {
            queue = new InMemoryJobQueue();
        }
        else
        {
            var storageQueue = new StorageJobQueue(StorageAccount.FromConnectionString(options.Queue, "--queue").Queues);
            await storageQueue.CreateIfNotExistsAsync(cancellationToken);
            queue = storageQueue;
        }

        var intake = new GitHubWebhookIntake(runtime.Catalogs, queue, options.Settings.WebhookSecret, new DeliveryDeduplicator(TimeProvider.System), TimeProvider.System, runtime.Events, options.Settings.AppsIsRepository ? options.Settings.Apps : null);
        var processor = new JobProcessor(runtime.Reconciler);
        var drift = new DriftCheck(runtime.Catalogs, queue, TimeProvider.System, runtime.Store);
        var handlers = new FerryHandlers(intake, processor, drift, telemetry);
        var app = FerryWebApp.Create(new FerryWebAppOptions
        {
            StatusStore = runtime.Store,
            CatalogReport = ct => CatalogReport.ReadAsync(runtime.Catalogs, ct),
            Port = options.Port,
            MetricsText = () => PrometheusText.Render(runtime.Metrics),
            WebhookHandler = handlers,
            JobHandler = handlers,
            DriftHandler = handlers,
        });
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ferry.Local");
        var host = new LocalHost(app, runtime, queue, processor, drift, options, logger) { _telemetry = telemetry };
        await app.StartAsync(cancellationToken);
        for (var i = 0; i < Math.Max(1, options.Workers); i++)
        {
            host._loops.Add(Task.Run(() => host.WorkAsync(host._stopping.Token)));
        }

        host._loops.Add(Task.Run(() => host.TimerAsync(host._stopping.Token)));
        return host;
    }

    /// <summary>Runs the drift check now (what the timer does every interval).</summary>
    public Task<IReadOnlyList<string>> RunDriftCheckAsync(CancellationToken cancellationToken) => _drift.RunAsync(cancellationToken);

    private async Task WorkAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            QueuedJob job;
            try
            {
                job = await _queue.WaitForMessageAsync(_options.VisibilityTimeout, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                LogQueueError(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                continue;
            }

            // A job in hand is finished even when stopping; only an abort (second Ctrl-C, or the grace period) cancels it.
            try
            {
                var outcome = await _processor.ProcessAsync(job.Message, _abort.Token);
                LogJob(_logger, job.Message.Kind.ToString(), job.Message.App, job.DequeueCount, outcome.Summary);
                if (outcome.Completed)
                {
                    await _queue.CompleteAsync(job, CancellationToken.None);
                }
                else
                {
                    await _queue.AbandonAsync(job, outcome.RetryAfter ?? TimeSpan.FromSeconds(30), CancellationToken.None);
                }
            }
            catch (OperationCanceledException)
            {
                await _queue.AbandonAsync(job, TimeSpan.Zero, CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                LogJobFailed(_logger, job.Message.App, ex.Message);
                await _queue.AbandonAsync(job, TimeSpan.FromSeconds(5), CancellationToken.None);
            }
        }
    }

    private async Task TimerAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.DriftInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    var apps = await _drift.RunAsync(stopping);
                    LogDrift(_logger, apps.Count);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogQueueError(_logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Stops taking new jobs, lets the jobs in hand finish within <paramref name="grace"/>, then stops the web app.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stopping.CancelAsync();
        var all = Task.WhenAll(_loops);
        if (await Task.WhenAny(all, Task.Delay(grace)) != all)
        {
            await _abort.CancelAsync();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5)));
        }

        await _app.StopAsync(CancellationToken.None);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(TimeSpan.FromSeconds(10));
        }

        await _app.DisposeAsync();
        await _runtime.DisposeAsync();
        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }

        _stopping.Dispose();
        _abort.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} job for {App} (attempt {Attempt}): {Summary}")]
    private static partial void LogJob(ILogger logger, string kind, string app, long attempt, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "job for {App} failed: {Message}")]
    private static partial void LogJobFailed(ILogger logger, string app, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue: {Message}")]
    private static partial void LogQueueError(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "drift check queued a refresh for {Count} app(s)")]
    private static partial void LogDrift(ILogger logger, int count);
}
