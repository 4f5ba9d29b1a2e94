using System.Text;
using Ferry.Core.Apps;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;
using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Jobs;

/// <summary>The app-of-apps behaviours: a push to the apps repository refreshes every app; an app that leaves the catalog is reported, never pruned.</summary>
public sealed class CatalogChangeTests : IDisposable
{
    private const string AppsRepo = "https://github.com/acme/platform-apps";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task HandleAsync_PushToTheAppsRepository_RefreshesEveryApp()
    {
        var queue = new InMemoryJobQueue();
        var intake = new GitHubWebhookIntake(new FixedCatalog(Catalog("web", "api")), queue, null, new DeliveryDeduplicator(TimeProvider.System), appsRepoUrl: AppsRepo);

        var response = await intake.HandleAsync(Header("push", "d1"), Encoding.UTF8.GetBytes(Push("git@github.com:acme/platform-apps.git")), CancellationToken.None);

        Assert.Equal(202, response.StatusCode);
        Assert.Equal(["api", "web"], response.Queued);
        var first = await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(JobKind.Refresh, first!.Message.Kind);
    }

    [Fact]
    public async Task HandleAsync_PushToAnApplicationSetGeneratorRepository_RefreshesTheSetsApps()
    {
        var set = new ApplicationCatalogLoader().Load([("""
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata: {name: envs}
            spec:
              generators:
              - matrix:
                  generators:
                  - git: {repoURL: 'https://github.com/acme/env-config', directories: [{path: '*'}]}
                  - list: {elements: [{a: b}]}
              template:
                metadata: {name: x}
                spec: {}
            """, "appset.yaml")]).ApplicationSets;
        var generated = Catalog("dev", "prod", "web");
        var catalog = generated with
        {
            ApplicationSets = set,
            Applications = [.. generated.Applications.Select(a => a.Name == "web" ? a : a with { GeneratedBy = "envs" })],
        };
        var queue = new InMemoryJobQueue();
        var intake = new GitHubWebhookIntake(new FixedCatalog(catalog), queue, null, new DeliveryDeduplicator(TimeProvider.System), appsRepoUrl: AppsRepo);

        var response = await intake.HandleAsync(Header("push", "d3"), Encoding.UTF8.GetBytes(Push("https://github.com/acme/env-config")), CancellationToken.None);

        Assert.Equal(["dev", "prod"], response.Queued);
        Assert.Equal(JobKind.Refresh, (await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!.Message.Kind);
    }

    [Fact]
    public async Task HandleAsync_PushToAnotherRepository_MatchesNoApp()
    {
        var queue = new InMemoryJobQueue();
        var intake = new GitHubWebhookIntake(new FixedCatalog(Catalog("web")), queue, null, new DeliveryDeduplicator(TimeProvider.System), appsRepoUrl: AppsRepo);

        var response = await intake.HandleAsync(Header("push", "d2"), Encoding.UTF8.GetBytes(Push("https://github.com/acme/unrelated")), CancellationToken.None);

        Assert.Empty(response.Queued);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task HandleAsync_PushToAChartRepositorysUrl_DoesNotConcernChartApps()
    {
        var catalog = new ApplicationCatalogLoader().Load([("""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: chart}
            spec:
              source: {repoURL: 'https://github.com/acme/charts', chart: probe, targetRevision: 1.2.*}
              destination: {server: 'https://kubernetes.default.svc', namespace: chart}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: mixed}
            spec:
              sources:
              - {repoURL: 'https://github.com/acme/charts', chart: probe, targetRevision: 1.2.3, helm: {valueFiles: [$values/prod.yaml]}}
              - {repoURL: 'https://github.com/acme/values', targetRevision: main, ref: values}
              destination: {server: 'https://kubernetes.default.svc', namespace: mixed}
            """, "charts.yaml")]);
        var queue = new InMemoryJobQueue();
        var intake = new GitHubWebhookIntake(new FixedCatalog(catalog), queue, null, new DeliveryDeduplicator(TimeProvider.System), appsRepoUrl: AppsRepo);

        var toCharts = await intake.HandleAsync(Header("push", "c1"), Encoding.UTF8.GetBytes(Push("https://github.com/acme/charts")), CancellationToken.None);
        var toValues = await intake.HandleAsync(Header("push", "c2"), Encoding.UTF8.GetBytes(Push("https://github.com/acme/values")), CancellationToken.None);

        Assert.Empty(toCharts.Queued);
        Assert.Contains("chart: its source is a Helm chart repository, which a Git push does not change", toCharts.Skipped);
        Assert.Equal(["mixed"], toValues.Queued);
    }

    [Fact]
    public async Task HandleAsync_PushToAnySourceOfAMultiSourceApp_QueuesItToResolveEverySource()
    {
        var catalog = new ApplicationCatalogLoader().Load([("""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: multi}
            spec:
              sources:
              - {repoURL: 'https://github.com/acme/chart', path: chart, helm: {valueFiles: [$values/prod.yaml]}}
              - {repoURL: 'https://github.com/acme/values', targetRevision: main, ref: values}
              destination: {server: 'https://kubernetes.default.svc', namespace: multi}
            """, "multi.yaml")]);
        var queue = new InMemoryJobQueue();
        var intake = new GitHubWebhookIntake(new FixedCatalog(catalog), queue, null, new DeliveryDeduplicator(TimeProvider.System), appsRepoUrl: AppsRepo);

        var toValues = await intake.HandleAsync(Header("push", "m1"), Encoding.UTF8.GetBytes(Push("https://github.com/acme/values")), CancellationToken.None);
        var elsewhere = await intake.HandleAsync(Header("push", "m2"), Encoding.UTF8.GetBytes(Push("https://github.com/acme/unrelated")), CancellationToken.None);

        Assert.Equal(["multi"], toValues.Queued);
        Assert.Empty(elsewhere.Queued);
        var job = (await queue.TryReceiveAsync(TimeSpan.FromMinutes(1), CancellationToken.None))!.Message;
        Assert.Equal(JobKind.Sync, job.Kind);
        Assert.Null(job.Revision);
    }

    [Fact]
    public async Task RunAsync_AppLeftTheCatalog_IsReportedOnceAndKeepsItsInventory()
    {
        var store = new FileStatusStore(_temp.Path);
        await store.SaveAsync(new AppStatus { Name = "gone", SyncStatus = SyncStatusCode.Synced, Inventory = [new("ns_cm__ConfigMap", "v1")] }, CancellationToken.None);
        var drift = new DriftCheck(new FixedCatalog(Catalog("web")), new InMemoryJobQueue(), TimeProvider.System, store);

        await drift.RunAsync(CancellationToken.None);
        await drift.RunAsync(CancellationToken.None);

        var gone = await store.GetAsync("gone", CancellationToken.None);
        Assert.Single(gone!.Conditions, c => c.Type == DriftCheck.RemovedCondition);
        Assert.Single(gone.Inventory);
    }

    [Fact]
    public async Task RunAsync_ANewerResultWrittenWhileTheCheckRan_IsNeverOverwritten()
    {
        var files = new FileStatusStore(_temp.Path);
        await files.SaveAsync(new AppStatus { Name = "gone", SyncStatus = SyncStatusCode.Synced, Revision = "older" }, CancellationToken.None);
        // A worker records a newer result between the drift check's read and its write.
        var newer = new AppStatus { Name = "gone", SyncStatus = SyncStatusCode.OutOfSync, Revision = "newer" };
        var store = new WriteRacingStore(files, newer);
        var drift = new DriftCheck(new FixedCatalog(Catalog("web")), new InMemoryJobQueue(), TimeProvider.System, store);

        await drift.RunAsync(CancellationToken.None);

        var gone = await files.GetAsync("gone", CancellationToken.None);
        Assert.True(store.Raced);
        Assert.Equal(("newer", SyncStatusCode.OutOfSync), (gone!.Revision, gone.SyncStatus));
    }

    private static Func<string, string?> Header(string eventName, string delivery) => name => name switch
    {
        GitHubHeaders.Event => eventName,
        GitHubHeaders.Delivery => delivery,
        _ => null,
    };

    private static string Push(string repoUrl) =>
        $$"""{"ref":"refs/heads/main","before":"{{new string('1', 40)}}","after":"{{new string('2', 40)}}","repository":{"html_url":"{{repoUrl}}","clone_url":"{{repoUrl}}","default_branch":"main"},"commits":[{"added":["apps/new.yaml"],"modified":[],"removed":[]}]}""";

    private static ApplicationCatalog Catalog(params string[] names) =>
        new ApplicationCatalogLoader().Load(names.Select(n => ($"""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: {n}
            spec:
              source:
                repoURL: https://github.com/acme/{n}
                path: deploy
              destination:
                server: https://kubernetes.default.svc
                namespace: {n}
            """, $"{n}.yaml")));

    private sealed class FixedCatalog(ApplicationCatalog catalog) : ICatalogProvider
    {
        public Task<ApplicationCatalog> GetAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);
    }

    /// <summary>A store where another writer records <paramref name="newer"/> just before the first write reaches the store.</summary>
    private sealed class WriteRacingStore(IStatusStore inner, AppStatus newer) : IStatusStore
    {
        public bool Raced { get; private set; }

        public Task<AppStatus?> GetAsync(string app, CancellationToken cancellationToken) => inner.GetAsync(app, cancellationToken);

        public Task<StoredStatus?> ReadAsync(string app, CancellationToken cancellationToken) => inner.ReadAsync(app, cancellationToken);

        public Task<IReadOnlyList<AppStatus>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

        public async Task SaveAsync(AppStatus status, CancellationToken cancellationToken)
        {
            await RaceAsync(cancellationToken);
            await inner.SaveAsync(status, cancellationToken);
        }

        public async Task<string?> TrySaveAsync(AppStatus status, string? expectedVersion, CancellationToken cancellationToken)
        {
            await RaceAsync(cancellationToken);
            return await inner.TrySaveAsync(status, expectedVersion, cancellationToken);
        }

        public Task<IAppLease?> TryAcquireLeaseAsync(string app, TimeSpan duration, CancellationToken cancellationToken) =>
            inner.TryAcquireLeaseAsync(app, duration, cancellationToken);

        private async Task RaceAsync(CancellationToken cancellationToken)
        {
            if (!Raced)
            {
                Raced = true;
                await inner.SaveAsync(newer, cancellationToken);
            }
        }
    }
}
