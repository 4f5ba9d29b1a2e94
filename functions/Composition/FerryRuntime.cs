using Ferry.Core.Apps;
using Ferry.Core.Apps.ApplicationSets;
using Ferry.Core.Charts;
using Ferry.Core.Git;
using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Metrics;
using Ferry.Core.Notifications;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Status;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Composition;

/// <summary>Ferry's parts wired together for one process: catalog, Git cache, renderers, clusters, status store, pipeline.</summary>
internal sealed partial class FerryRuntime : IAsyncDisposable
{
    private readonly IDisposable? _clusterDisposable;
    private readonly Notifier? _notifier;
    private ChartCache? _charts;

    private FerryRuntime(FerrySettings settings, ICatalogProvider catalogs, GitRepositoryCache git, IRenderer renderer, IClusterConnector clusters, IStatusStore store, AppReconciler reconciler,
        MetricsRegistry metrics, Notifier? notifier, IFerryEvents events, ResourceCustomizations customizations)
    {
        ResourceCustomizations = customizations;
        Metrics = metrics;
        _notifier = notifier;
        Events = events;
        Settings = settings;
        Catalogs = catalogs;
        Git = git;
        Renderer = renderer;
        Clusters = clusters;
        Store = store;
        Reconciler = reconciler;
        _clusterDisposable = clusters as IDisposable;
    }

    public FerrySettings Settings { get; }

    public ICatalogProvider Catalogs { get; }

    public GitRepositoryCache Git { get; }

    public IRenderer Renderer { get; }

    public IClusterConnector Clusters { get; }

    public IStatusStore Store { get; }

    public AppReconciler Reconciler { get; }

    /// <summary>The health scripts of <c>FERRY_RESOURCE_CUSTOMIZATIONS</c> (the catalog's own are merged over them per read).</summary>
    public ResourceCustomizations ResourceCustomizations { get; }

    /// <summary>Prometheus metrics (served at /metrics by the local host).</summary>
    public MetricsRegistry Metrics { get; }

    /// <summary>Every event listener: metrics, notifications and the caller's (telemetry); hand it to the webhook intake too.</summary>
    public IFerryEvents Events { get; }

    /// <summary>The renderer every entry point uses: tool detection over Directory, Kustomize and Helm.</summary>
    public static IRenderer CreateRenderer(ProcessRunner runner) => RendererSelector.CreateDefault(runner);

    /// <summary>Builds the runtime; <paramref name="clusters"/> overrides the clusters file (the demo's simulated cluster).</summary>
    public static async Task<FerryRuntime> CreateAsync(FerrySettings settings, CancellationToken cancellationToken,
        IClusterConnector? clusters = null, IStatusStore? store = null, AppReconcilerOptions? options = null, ILoggerFactory? loggers = null, TimeProvider? time = null,
        IFerryEvents? events = null, FerryObservers? observers = null)
    {
        var state = Path.GetFullPath(settings.State);
        Directory.CreateDirectory(state);
        var metrics = new MetricsRegistry();
        var notifications = await NotificationSettingsLoader.FromEnvironmentAsync(Environment.GetEnvironmentVariable, cancellationToken);
        observers = FerryObservers.Combine([observers ?? new FerryObservers(), new FerryObservers
        {
            OnGitCommand = info => metrics.GitRequest(info.Repository, info.Command, !info.Succeeded),
            OnKubeRequest = info => metrics.KubeRequest(info.Server ?? "default", info),
        }]);
        var runner = new ProcessRunner();
        var git = new GitRepositoryCache(new GitCacheOptions
        {
            RootDirectory = Path.Combine(state, "git"),
            ExtraConfig = settings.GitConfig,
            Credentials = settings.GitCredentials,
            OnCommand = observers?.OnGitCommand,
        });
        ICatalogProvider catalogs = settings.AppsIsRepository
            ? new GitCatalogProvider(git, settings.Apps, settings.AppsPath, settings.AppsRevision)
            : new DirectoryCatalogProvider(settings.Apps);
        var catalog = settings.Clusters is null
            ? new ClusterCatalog([ClusterEntry.LocalInCluster])
            : await ClusterCatalog.LoadAsync(settings.Clusters, cancellationToken);
        // ApplicationSets expand on every catalog read; their clusters generator lists the clusters file.
        catalogs = new ApplicationSetCatalogProvider(catalogs, new ApplicationSetExpander(git, catalog.Clusters));
        var notifier = notifications.IsEmpty ? null : Notifier.ForCatalog(notifications, catalogs, time: time, logger: loggers?.CreateLogger<Notifier>());
        IFerryEvents allEvents = new FerryEvents([metrics, .. notifier is null ? Array.Empty<IFerryEvents>() : [notifier], .. events is null ? Array.Empty<IFerryEvents>() : [events]]);
        if (clusters is null)
        {
            var kube = new KubeClientOptions { OnRequest = observers?.OnKubeRequest };
            clusters = new ClusterConnector(catalog, settings.Kubeconfig, options: settings.KubeMaxRetries is { } retries ? kube with { MaxRetries = retries } : kube);
        }

        if (settings.ResourceCustomizations is { } customizationsFile)
        {
            var (customizations, warnings) = await ResourceCustomizationsLoader.LoadAsync(customizationsFile, cancellationToken);
            var logger = loggers?.CreateLogger<FerryRuntime>();
            foreach (var warning in warnings)
            {
                if (logger is not null)
                {
                    LogCustomizationWarning(logger, warning.ToString());
                }
            }

            options = (options ?? new AppReconcilerOptions()) with { ResourceCustomizations = customizations };
        }

        store ??= new FileStatusStore(state, time);
        var renderer = CreateRenderer(runner);
        // Helm charts from chart repositories and OCI registries, pulled in process and cached by version and digest beside the Git cache.
        var charts = new ChartCache(new ChartCacheOptions
        {
            RootDirectory = Path.Combine(state, "charts"),
            Repositories = await ChartRepositorySettings.FromEnvironmentAsync(Environment.GetEnvironmentVariable, cancellationToken),
        });
        var reconciler = new AppReconciler(catalogs, git, renderer, clusters, store, options, time, loggers?.CreateLogger<AppReconciler>(), allEvents, charts);
        return new FerryRuntime(settings, catalogs, git, renderer, clusters, store, reconciler, metrics, notifier, allEvents, options?.ResourceCustomizations ?? ResourceCustomizations.None) { _charts = charts };
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _clusterDisposable?.Dispose();
        _charts?.Dispose();
        if (_notifier is not null)
        {
            // Lets queued notifications go out before the process ends.
            await _notifier.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resource customizations: {Warning}")]
    private static partial void LogCustomizationWarning(ILogger logger, string warning);
}
