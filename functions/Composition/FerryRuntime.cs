using Ferry.Core.Apps;
using Ferry.Core.Git;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Render.Directory;
using Ferry.Core.Render.Helm;
using Ferry.Core.Render.Kustomize;
using Ferry.Core.Status;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Composition;

/// <summary>Ferry's parts wired together for one process: catalog, Git cache, renderers, clusters, status store, pipeline.</summary>
internal sealed class FerryRuntime : IAsyncDisposable
{
    private readonly IDisposable? _clusterDisposable;

    private FerryRuntime(FerrySettings settings, ICatalogProvider catalogs, GitRepositoryCache git, IRenderer renderer, IClusterConnector clusters, IStatusStore store, AppReconciler reconciler)
    {
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

    /// <summary>The renderer every entry point uses: tool detection over Directory, Kustomize and Helm.</summary>
    public static IRenderer CreateRenderer(ProcessRunner runner) =>
        new RendererSelector([new DirectoryRenderer(), new KustomizeRenderer(), new HelmRenderer(runner)]);

    /// <summary>Builds the runtime; <paramref name="clusters"/> overrides the clusters file (the demo's simulated cluster).</summary>
    public static async Task<FerryRuntime> CreateAsync(FerrySettings settings, CancellationToken cancellationToken,
        IClusterConnector? clusters = null, IStatusStore? store = null, AppReconcilerOptions? options = null, ILoggerFactory? loggers = null, TimeProvider? time = null,
        IFerryEvents? events = null, FerryObservers? observers = null)
    {
        var state = Path.GetFullPath(settings.State);
        Directory.CreateDirectory(state);
        var runner = new ProcessRunner();
        var git = new GitRepositoryCache(new GitCacheOptions
        {
            RootDirectory = Path.Combine(state, "git"),
            ExtraConfig = settings.GitConfig,
            Credentials = settings.GitCredentials,
            OnCommand = observers?.OnGitCommand,
        }, runner);
        ICatalogProvider catalogs = settings.AppsIsRepository
            ? new GitCatalogProvider(git, settings.Apps, settings.AppsPath, settings.AppsRevision)
            : new DirectoryCatalogProvider(settings.Apps);
        if (clusters is null)
        {
            var catalog = settings.Clusters is null
                ? new ClusterCatalog([ClusterEntry.LocalInCluster])
                : await ClusterCatalog.LoadAsync(settings.Clusters, cancellationToken);
            clusters = new ClusterConnector(catalog, settings.Kubeconfig, options: observers?.OnKubeRequest is { } onRequest ? new KubeClientOptions { OnRequest = onRequest } : null);
        }

        store ??= new FileStatusStore(state, time);
        var renderer = CreateRenderer(runner);
        var reconciler = new AppReconciler(catalogs, git, renderer, clusters, store, options, time, loggers?.CreateLogger<AppReconciler>(), events);
        return new FerryRuntime(settings, catalogs, git, renderer, clusters, store, reconciler);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _clusterDisposable?.Dispose();
        return ValueTask.CompletedTask;
    }
}
