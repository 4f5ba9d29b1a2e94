using System.Text.Json.Nodes;
using System.Threading.Channels;
using Ferry.Cli.Local;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Tests.Git;
using Ferry.Core.Webhooks;
using Ferry.Functions.Composition;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.TestSupport;

/// <summary>
/// <c>ferry serve</c> in process on 127.0.0.1:0: a real Git repository served as a GitHub URL, an apps folder, the in-memory API server
/// as the cluster, an API token, and every reconcile reported to the test as it finishes.
/// </summary>
internal sealed class LocalFerry : IAsyncDisposable
{
    public const string RepoUrl = "https://github.com/acme/shop";
    public const string Token = "test-api-token-6d1f";

    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp;
    private readonly SimulatedClusterConnector _cluster;
    private readonly Events _events;
    private readonly List<ReconcileEvent> _seen = [];
    private readonly SemaphoreSlim _wait = new(1, 1);

    private LocalFerry(Ferry.Core.Tests.TestSupport.TempDirectory temp, TestGitRepository repo, SimulatedClusterConnector cluster, LocalHost host, Events events)
    {
        _temp = temp;
        Repo = repo;
        _cluster = cluster;
        Host = host;
        _events = events;
        Client = new HttpClient { BaseAddress = host.BaseAddress };
        Kube = KubeClientFactory.FromToken(cluster.Simulator.BaseAddress, cluster.Simulator.Token, cluster.Simulator.CertificateAuthorityPem);
    }

    public TestGitRepository Repo { get; }

    public LocalHost Host { get; }

    public KubeSimulator Simulator => _cluster.Simulator;

    public KubeClient Kube { get; }

    public HttpClient Client { get; }

    /// <summary>Starts serve over <paramref name="apps"/> (file name → Application YAML; <c>{{repo}}</c> stands for the repository URL) and <paramref name="files"/> in Git.</summary>
    public static async Task<LocalFerry> StartAsync(IReadOnlyDictionary<string, string> apps, IReadOnlyDictionary<string, string> files, string? token = Token)
    {
        var temp = new Ferry.Core.Tests.TestSupport.TempDirectory();
        var repo = TestGitRepository.Create(files);
        foreach (var (name, yaml) in apps)
        {
            temp.Write($"apps/{name}", yaml.Replace("{{repo}}", RepoUrl, StringComparison.Ordinal));
        }

        var events = new Events();
        var cluster = await SimulatedClusterConnector.StartAsync(CancellationToken.None);
        var host = await LocalHost.StartAsync(new LocalHostOptions
        {
            Settings = new FerrySettings
            {
                Apps = Path.Combine(temp.Path, "apps"),
                State = Path.Combine(temp.Path, "state"),
                GitConfig = [new($"url.{repo.Url}.insteadOf", RepoUrl)],
            },
            Port = 0,
            DriftInterval = TimeSpan.FromHours(1),
            Clusters = cluster,
            Events = [events],
            ApiToken = token,
            ConfigureLogging = _ => { },
        }, CancellationToken.None);
        return new LocalFerry(temp, repo, cluster, host, events);
    }

    /// <summary>
    /// Waits for a reconcile of <paramref name="app"/> that satisfies <paramref name="done"/>, among those reported so far or the next ones
    /// (two minutes at most: a hung job fails the test).
    /// </summary>
    public async Task<ReconcileEvent> WaitForAsync(string app, Func<ReconcileEvent, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await _wait.WaitAsync(limit.Token);
        try
        {
            if (_seen.FirstOrDefault(e => e.Request.App == app && done(e)) is { } earlier)
            {
                return earlier;
            }

            while (true)
            {
                var next = await _events.Reconciles.Reader.ReadAsync(limit.Token);
                _seen.Add(next);
                if (next.Request.App == app && done(next))
                {
                    return next;
                }
            }
        }
        finally
        {
            _wait.Release();
        }
    }

    /// <summary>A POST to an action with the token and the cross-site header, as the page sends it.</summary>
    public HttpRequestMessage Action(string app, string action, string? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/apps/{app}/{action}");
        request.Headers.Authorization = new("Bearer", Token);
        request.Headers.Add("X-Requested-With", "test");
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>A minimal pod spec for objects the test creates.</summary>
    public const string PodSpec = """{"containers":[{"name":"c","image":"nginx:1.27"}]}""";

    /// <summary>Creates an object in namespace shop owned by <paramref name="owner"/> (controller reference), as the owner's controller would.</summary>
    public async Task<JsonObject> CreateOwnedAsync(string apiVersion, string kind, string name, JsonObject? owner, string specJson)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "shop", ["labels"] = new JsonObject { ["app"] = name.Split('-')[0] } };
        if (owner is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = (string?)owner["apiVersion"],
                ["kind"] = (string?)owner["kind"],
                ["name"] = (string?)owner["metadata"]!["name"],
                ["uid"] = (string?)owner["metadata"]!["uid"],
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = JsonNode.Parse(specJson) };
        var resource = await Kube.ResolveAsync(apiVersion, kind, CancellationToken.None);
        await Kube.CreateAsync(resource, "shop", obj, CancellationToken.None);
        // The simulator plays the controllers (AutoComplete): read back the status they wrote.
        return Simulator.GetObject(apiVersion, kind, "shop", name)!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Kube.Dispose();
        _wait.Dispose();
        await Host.DisposeAsync();
        await _cluster.DisposeAsync();
        Repo.Dispose();
        _temp.Dispose();
    }

    private sealed class Events : IFerryEvents
    {
        public Channel<ReconcileEvent> Reconciles { get; } = Channel.CreateUnbounded<ReconcileEvent>();

        public void Reconciled(ReconcileEvent reconcile) => Reconciles.Writer.TryWrite(reconcile);

        public void WebhookReceived(string? deliveryId, WebhookResponse response)
        {
        }

        public void DriftDetected(DriftEvent drift)
        {
        }
    }
}
