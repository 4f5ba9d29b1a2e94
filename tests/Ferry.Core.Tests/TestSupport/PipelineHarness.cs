using System.Text;
using Ferry.Core.Apps;
using Ferry.Core.Charts;
using Ferry.Core.Git;
using Ferry.Core.Jobs;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Render.Directory;
using Ferry.Core.Render.Helm;
using Ferry.Core.Render.Kustomize;
using Ferry.Core.Status;
using Ferry.Core.Tests.Git;
using Ferry.Simulator;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>
/// Ferry's whole pipeline over real parts, wired as <c>FerryRuntime</c> does: a Git repository served through <c>file://</c>,
/// an apps directory of Argo CD Applications, a simulated cluster reached through a kubeconfig, a file status store.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    /// <summary>The cluster name Applications use as <c>destination.name</c>.</summary>
    public const string ClusterName = "sim";

    /// <summary>A ConfigMap, a Deployment and a Service for <c>guestbook/</c>, one per file.</summary>
    public static readonly IReadOnlyDictionary<string, string> Guestbook = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["guestbook/configmap.yaml"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
            data:
              greeting: hello
            """,
        ["guestbook/deployment.yaml"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    ports:
                    - containerPort: 80
                    resources:
                      requests: {cpu: 100m, memory: 0.5Gi}
            """,
        ["guestbook/service.yaml"] = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports:
              - port: 80
                targetPort: 80
            """,
    };

    private readonly TempDirectory _root;
    private readonly ClusterConnector _clusters;
    private Func<IFerryEvents?, AppReconciler> _reconcilerFor = null!;

    private PipelineHarness(TempDirectory root, TestGitRepository repo, KubeSimulator server, ClusterConnector clusters, FileStatusStore store, AppReconciler reconciler, string appsDirectory, string kubeconfig, string stateDirectory)
    {
        _root = root;
        _clusters = clusters;
        Repo = repo;
        Server = server;
        Store = store;
        Reconciler = reconciler;
        AppsDirectory = appsDirectory;
        Kubeconfig = kubeconfig;
        StateDirectory = stateDirectory;
    }

    /// <summary>The manifests repository.</summary>
    public TestGitRepository Repo { get; }

    /// <summary>The simulated cluster.</summary>
    public KubeSimulator Server { get; }

    /// <summary>The status store under <see cref="StateDirectory"/>.</summary>
    public FileStatusStore Store { get; }

    /// <summary>The pipeline under test.</summary>
    public AppReconciler Reconciler { get; }

    /// <summary>The Git cache the pipeline reads through.</summary>
    public GitRepositoryCache Git { get; private init; } = null!;

    /// <summary>Every remote Git operation the cache made (<c>ls-remote</c>, <c>fetch</c>), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<GitCommandInfo> GitCommands { get; private init; } = null!;

    /// <summary>The chart cache the pipeline pulls Helm charts through (under the state directory).</summary>
    public ChartCache Charts { get; private init; } = null!;

    /// <summary>The renderer the pipeline uses.</summary>
    public IRenderer Renderer { get; private init; } = null!;

    /// <summary>The cluster connector the pipeline uses.</summary>
    public ClusterConnector Clusters => _clusters;

    /// <summary>Where Application files go.</summary>
    public string AppsDirectory { get; }

    /// <summary>The kubeconfig the clusters catalog points at.</summary>
    public string Kubeconfig { get; }

    /// <summary>The state directory (status, leases, Git cache).</summary>
    public string StateDirectory { get; }

    /// <summary>Starts the simulator, creates the repository with <paramref name="files"/> (default <see cref="Guestbook"/>) and wires the pipeline.</summary>
    public static async Task<PipelineHarness> StartAsync(IReadOnlyDictionary<string, string>? files = null, KubeSimulatorOptions? simulator = null, AppReconcilerOptions? options = null, TimeProvider? time = null,
        ChartRepositorySettings? chartRepositories = null)
    {
        var root = new TempDirectory();
        var repo = TestGitRepository.Create(files ?? Guestbook);
        var server = await KubeSimulator.StartAsync(simulator ?? new KubeSimulatorOptions { Token = "pipeline-token", AutoComplete = true });
        var kubeconfig = System.IO.Path.Combine(root.Path, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        var apps = System.IO.Path.Combine(root.Path, "apps");
        var state = System.IO.Path.Combine(root.Path, "state");
        Directory.CreateDirectory(apps);

        var runner = new ProcessRunner();
        var commands = new System.Collections.Concurrent.ConcurrentQueue<GitCommandInfo>();
        var git = new GitRepositoryCache(new GitCacheOptions { RootDirectory = System.IO.Path.Combine(state, "git"), OnCommand = commands.Enqueue });
        var renderer = new RendererSelector([new DirectoryRenderer(), new KustomizeRenderer(), new HelmRenderer(runner, new HelmRendererOptions { Executable = InstalledHelm.Find() })]);
        var clusters = new ClusterConnector(new ClusterCatalog([new ClusterEntry(ClusterName, server.BaseAddress.GetLeftPart(UriPartial.Authority), new KubeconfigClusterAuth(kubeconfig))]));
        var store = new FileStatusStore(state);
        var charts = new ChartCache(new ChartCacheOptions { RootDirectory = System.IO.Path.Combine(state, "charts"), Repositories = chartRepositories ?? ChartRepositorySettings.None });
        AppReconciler ReconcilerFor(IFerryEvents? events) => new(new DirectoryCatalogProvider(apps), git, renderer, clusters, store,
            options ?? new AppReconcilerOptions { PollInterval = TimeSpan.FromMilliseconds(20), WaveTimeout = TimeSpan.FromSeconds(20) }, time, events: events, charts: charts);
        return new PipelineHarness(root, repo, server, clusters, store, ReconcilerFor(null), apps, kubeconfig, state) { _reconcilerFor = ReconcilerFor, Git = git, Renderer = renderer, Charts = charts, GitCommands = commands };
    }

    /// <summary>Another pipeline over the same repository, cluster and store (a restarted worker) that reports to <paramref name="events"/>.</summary>
    public AppReconciler CreateReconciler(IFerryEvents events) => _reconcilerFor(events);

    /// <summary>Writes an Argo CD Application for this repository into the apps directory.</summary>
    public void WriteApplication(string name, string path = "guestbook", string targetRevision = "main", string destinationNamespace = "demo",
        bool automated = false, bool prune = false, bool selfHeal = false, bool allowEmpty = false, int? revisionHistoryLimit = null, string project = "default", string extraSpec = "")
    {
        var text = new StringBuilder();
        text.Append($"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: {name}
              namespace: argocd
            spec:
              project: {project}
              source:
                repoURL: {Repo.Url}
                targetRevision: {targetRevision}
                path: {path}
              destination:
                name: {ClusterName}
                namespace: {destinationNamespace}
              syncPolicy:
                syncOptions:
                - CreateNamespace=true

            """);
        if (automated)
        {
            text.Append($"""
                    automated:
                      prune: {Bool(prune)}
                      selfHeal: {Bool(selfHeal)}
                      allowEmpty: {Bool(allowEmpty)}

                """);
        }

        if (revisionHistoryLimit is { } limit)
        {
            text.Append($"  revisionHistoryLimit: {limit}\n");
        }

        text.Append(extraSpec);
        File.WriteAllText(System.IO.Path.Combine(AppsDirectory, $"{name}.yaml"), text.ToString());
    }

    /// <summary>Writes any YAML (an AppProject, say) into the apps directory.</summary>
    public void WriteCatalogFile(string fileName, string yaml) => File.WriteAllText(System.IO.Path.Combine(AppsDirectory, fileName), yaml);

    /// <summary>Runs one reconcile.</summary>
    public Task<ReconcileOutcome> ReconcileAsync(string app, ReconcileMode mode, bool? prune = null, bool dryRun = false, string? revision = null) =>
        Reconciler.ReconcileAsync(new ReconcileRequest { App = app, Mode = mode, Prune = prune, DryRun = dryRun, Revision = revision }, CancellationToken.None);

    /// <summary>Removes files from the repository in a new commit; returns its SHA.</summary>
    public string RemoveFromRepo(string message, params string[] paths)
    {
        Repo.Git(["rm", "--quiet", .. paths]);
        return Repo.Commit(new Dictionary<string, string>(), message);
    }

    /// <summary>The recorded status of <paramref name="app"/>; fails when none was recorded.</summary>
    public async Task<AppStatus> StatusAsync(string app) =>
        await Store.GetAsync(app, CancellationToken.None) ?? throw new InvalidOperationException($"no status recorded for {app}");

    private static string Bool(bool value) => value ? "true" : "false";

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _clusters.Dispose();
        Charts.Dispose();
        await Server.DisposeAsync();
        Repo.Dispose();
        _root.Dispose();
    }
}
