using Ferry.Core.Apps;
using Ferry.Core.Git;
using Ferry.Core.Jobs;
using Ferry.Core.Metrics;
using Ferry.Functions;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Local;

/// <summary>
/// Plays the Functions host's part on one machine (<c>ferry serve</c>) around the function app's own classes: the HTTP routes, a queue
/// with the host's semantics (at-least-once, visibility timeout, dequeue count, poison after 5) invoking SyncWorker, and a timer
/// invoking DriftCheck.
/// </summary>
internal sealed partial class LocalHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FerryComposition _composition;
    private readonly ServiceProvider _functions;
    private readonly LocalHostOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _loops = [];

    private LocalHost(WebApplication app, FerryComposition composition, ServiceProvider functions, LocalHostOptions options, ILogger logger)
    {
        _app = app;
        _composition = composition;
        _functions = functions;
        _options = options;
        _logger = logger;
    }

    /// <summary>The address the host listens on.</summary>
    public Uri BaseAddress => LocalWebApp.BaseAddress(_app);

    /// <summary>Where the app catalog comes from.</summary>
    public ICatalogProvider Catalogs => _composition.Runtime.Catalogs;

    /// <summary>Ferry's parts as this host wired them (tests run a forced sync through its pipeline).</summary>
    internal FerryRuntime Runtime => _composition.Runtime;

    /// <summary>The job queue (tests and the demo peek at it).</summary>
    public IJobQueue Queue => _composition.Queue;

    /// <summary>Builds and starts the host, and queues a refresh of every app so a restart converges without waiting for the timer.</summary>
    public static async Task<LocalHost> StartAsync(LocalHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        FerryStorage? storage = null;
        if (!string.Equals(options.Queue, "memory", StringComparison.OrdinalIgnoreCase))
        {
            storage = await FerryStorage.QueueAsync(options.Queue, cancellationToken);
        }

        var composition = await FerryComposition.CreateAsync(new FerryCompositionOptions
        {
            Settings = options.Settings,
            Queue = storage?.Queue,
            Clusters = options.Clusters,
            Reconciler = options.Reconciler,
            Events = options.Events,
            Observers = options.Observers,
        }, cancellationToken);
        var services = new ServiceCollection()
            .AddLogging(options.ConfigureLogging ?? LocalWebApp.ConsoleLogging)
            .AddFerryFunctions(composition)
            .AddSingleton(ActionAuthorization.BearerToken(options.ApiToken, $"start ferry serve with --api-token <token> (or set {LocalHostOptions.ApiTokenVariable})"));
        var functions = services.BuildServiceProvider();
        var app = LocalWebApp.Create(functions, options.Port, options.Address, () => PrometheusText.Render(composition.Runtime.Metrics), options.ConfigureLogging);
        var logger = functions.GetRequiredService<ILoggerFactory>().CreateLogger("Ferry.Local");
        var host = new LocalHost(app, composition, functions, options, logger);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // A busy port, say: nothing was started, so release what was built and let the caller say why.
            await app.DisposeAsync();
            await functions.DisposeAsync();
            await composition.DisposeAsync();
            throw;
        }

        // After a crash, jobs in flight may be lost and leases left behind: a refresh per app converges once the leases lapse.
        try
        {
            await host.RunDriftCheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is AppValidationException or GitException)
        {
            // An invalid or unreachable catalog syncs nothing; serve says so at start and on the page, and the timer tries again.
            LogQueueError(logger, ex.Message);
        }
        for (var i = 0; i < Math.Max(1, options.Workers); i++)
        {
            host._loops.Add(Task.Run(() => host.WorkAsync(host._stopping.Token)));
        }

        host._loops.Add(Task.Run(() => host.TimerAsync(host._stopping.Token)));
        return host;
    }

    /// <summary>Runs the DriftCheck function now (what the timer does every interval).</summary>
    public async Task<IReadOnlyList<string>> RunDriftCheckAsync(CancellationToken cancellationToken)
    {
        await using var scope = _functions.CreateAsyncScope();
        return await ActivatorUtilities.CreateInstance<DriftCheckFunction>(scope.ServiceProvider).CheckAsync(cancellationToken);
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        var queue = _composition.Queue;
        while (!stopping.IsCancellationRequested)
        {
            QueuedJob job;
            try
            {
                job = await queue.WaitForMessageAsync(_options.VisibilityTimeout, stopping);
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
                await using var scope = _functions.CreateAsyncScope();
                await ActivatorUtilities.CreateInstance<SyncWorkerFunction>(scope.ServiceProvider).ProcessAsync(job.Message, job.DequeueCount, _abort.Token);
                await queue.CompleteAsync(job, CancellationToken.None);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                await queue.AbandonAsync(job, TimeSpan.Zero, CancellationToken.None);
                return;
            }
            catch (JobRetryException retry)
            {
                await AbandonAsync(queue, job, retry.RetryAfter ?? _options.VisibilityTimeout);
            }
            catch (Exception)
            {
                // SyncWorker logged it; like the host, the message becomes visible again and is poisoned after the last attempt.
                await AbandonAsync(queue, job, _options.RetryDelay);
            }
        }
    }

    private async Task AbandonAsync(IJobQueue queue, QueuedJob job, TimeSpan retryAfter)
    {
        var outcome = await queue.AbandonAsync(job, retryAfter, CancellationToken.None);
        if (outcome == AbandonOutcome.Poisoned)
        {
            LogPoisoned(_logger, job.Message.App, job.DequeueCount);
        }
    }

    private async Task TimerAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.DriftInterval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await RunDriftCheckAsync(stopping);
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
        await _functions.DisposeAsync();
        await _composition.DisposeAsync();
        _stopping.Dispose();
        _abort.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue: {Message}")]
    private static partial void LogQueueError(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "job for {App} failed on attempt {Attempt}, the last one: moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, string app, long attempt);
}
