using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Status;
using Ferry.Core.Sync;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Kube;

/// <summary>
/// The client behind a proxy that throttles, fails and resets requests the way a busy API server and its load balancer do:
/// a whole sync must still succeed on its first try, with no real waiting (retry delays go through a clock that fires at once).
/// </summary>
public sealed class KubeFaultToleranceTests : IAsyncLifetime
{
    private const string Token = "fault-token";
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _authority = TestCertificates.CreateAuthority("fault-proxy-ca");
    private readonly InstantDelays _clock = new();
    private KubeSimulator _simulator = null!;

    public async Task InitializeAsync() =>
        _simulator = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = Token, AutoComplete = true, CaptureRequestBodies = false });

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        _authority.Dispose();
    }

    [Fact]
    public async Task SyncAsync_TwoHundredObjectsBehindAFaultyProxy_SucceedsOnTheFirstTry()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), FaultInjectingProxy.IssueMix);
        using var client = Client(proxy);
        var manifests = Enumerable.Range(0, 200).Select(Object).ToList();

        var result = await new SyncEngine(client, HealthAssessor.Assess).SyncAsync(new SyncRequest
        {
            AppName = "faulty",
            Manifests = manifests,
            Inventory = [],
            DestinationNamespace = "faulty",
            Options = new SyncOptionSet { CreateNamespace = true },
            PollInterval = TimeSpan.FromMilliseconds(10),
        }, CancellationToken.None);

        Assert.True(result.Phase == OperationPhase.Succeeded, result.Message);
        Assert.Equal(SyncStatusCode.Synced, result.SyncStatus);
        Assert.Equal(200, _simulator.Objects.Count(o => (string?)o["metadata"]?["namespace"] == "faulty"));
        var faults = proxy.Requests.GroupBy(r => r.Fault).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(faults.GetValueOrDefault(FaultInjectingProxy.Fault.TooManyRequestsRetryInOneSecond) > 0, "no 429 was injected");
        Assert.True(faults.GetValueOrDefault(FaultInjectingProxy.Fault.ServiceUnavailable) > 0, "no 503 was injected");
        Assert.True(faults.GetValueOrDefault(FaultInjectingProxy.Fault.ResetAfterForwarding) > 0, "no reset was injected");
        Assert.True(faults.GetValueOrDefault(FaultInjectingProxy.Fault.ResetMidBody) > 0, "no answer was cut off");
        Assert.Contains(TimeSpan.FromSeconds(1), _clock.Delays);
    }

    [Fact]
    public async Task Requests_Always_CarryFerrysUserAgent()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), _ => FaultInjectingProxy.Fault.None);
        using var client = Client(proxy);

        await client.GetServerVersionAsync(CancellationToken.None);
        await client.ListAsync(await client.ResolveAsync("v1", "Namespace", CancellationToken.None), null, new ListOptions(), CancellationToken.None);

        var version = typeof(KubeClient).Assembly.GetName().Version!;
        Assert.NotEmpty(proxy.Requests);
        Assert.All(proxy.Requests, r => Assert.Equal($"ferry/{version.Major}.{version.Minor}.{version.Build}", r.UserAgent));
    }

    [Fact]
    public async Task ApplyAsync_TooManyRequestsWithRetryAfter_WaitsWhatTheServerAsked()
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), n => n == 1 ? FaultInjectingProxy.Fault.TooManyRequestsRetryInOneSecond : FaultInjectingProxy.Fault.None);
        using var client = Client(proxy);
        await client.ResolveAsync("v1", "Namespace", CancellationToken.None);

        await client.ApplyAsync(Namespace("throttled"), new ApplyOptions { DryRun = true }, CancellationToken.None);

        Assert.Equal([TimeSpan.FromSeconds(1)], _clock.Delays);
        Assert.Equal(["GET", "PATCH", "PATCH"], proxy.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task CreateAsync_ConnectionReset_IsNotRetried()
    {
        await CreateNamespaceAsync("jobs");
        await using var proxy = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), _ => FaultInjectingProxy.Fault.None);
        using var client = Client(proxy);
        var configMaps = await client.ResolveAsync("v1", "ConfigMap", CancellationToken.None);
        await using var resetting = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), _ => FaultInjectingProxy.Fault.ResetAfterForwarding);
        using var resetClient = Client(resetting);

        await Assert.ThrowsAsync<KubeUnreachableException>(() => resetClient.CreateAsync(configMaps, "jobs", GenerateNamed("hook-"), CancellationToken.None));

        // The server created one object; a retry would have created a second.
        Assert.Single(resetting.Requests);
        Assert.Single(_simulator.Objects, o => (string?)o["kind"] == "ConfigMap" && (string?)o["metadata"]?["namespace"] == "jobs");
    }

    [Fact]
    public async Task CreateAsync_ServiceUnavailable_IsNotRetriedButTooManyRequestsIs()
    {
        await CreateNamespaceAsync("jobs");
        await using var proxy = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), n => n switch
        {
            1 => FaultInjectingProxy.Fault.TooManyRequestsRetryNow,
            3 => FaultInjectingProxy.Fault.ServiceUnavailable,
            _ => FaultInjectingProxy.Fault.None,
        });
        using var client = Client(proxy);
        var configMaps = await client.ResolveAsync("v1", "ConfigMap", CancellationToken.None);

        await client.CreateAsync(configMaps, "jobs", GenerateNamed("first-"), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(configMaps, "jobs", GenerateNamed("second-"), CancellationToken.None));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(["GET", "POST", "POST", "POST"], proxy.Requests.Select(r => r.Method));
        Assert.Single(_simulator.Objects, o => (string?)o["kind"] == "ConfigMap" && (string?)o["metadata"]?["namespace"] == "jobs");
    }

    [Fact]
    public async Task ListAsync_CallerCancelsDuringABackoff_ThrowsOperationCanceledWithoutRetrying()
    {
        var clock = new HeldDelays();
        await using var proxy = await FaultInjectingProxy.StartAsync(_simulator, TestCertificates.CreateServer(_authority), n => n == 1 ? FaultInjectingProxy.Fault.ServiceUnavailable : FaultInjectingProxy.Fault.None);
        using var client = KubeClientFactory.FromToken(proxy.Url, Token, _authority.ExportCertificatePem(), options: new KubeClientOptions { TimeProvider = clock });
        var namespaces = await client.ResolveAsync("v1", "Namespace", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var list = client.ListAsync(namespaces, null, new ListOptions(), cancel.Token);
        await clock.DelayStarted.Task;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => list);
        Assert.Equal(2, proxy.Requests.Count);
    }

    private async Task CreateNamespaceAsync(string name)
    {
        using var direct = KubeClientFactory.FromToken(_simulator.BaseAddress, Token, _simulator.CertificateAuthorityPem);
        await direct.ApplyAsync(Namespace(name), new ApplyOptions(), CancellationToken.None);
    }

    private KubeClient Client(FaultInjectingProxy proxy) =>
        KubeClientFactory.FromToken(proxy.Url, Token, _authority.ExportCertificatePem(), options: new KubeClientOptions { TimeProvider = _clock });

    private static JsonObject Namespace(string name) => new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };

    private static JsonObject GenerateNamed(string prefix) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["generateName"] = prefix },
        ["data"] = new JsonObject { ["k"] = "v" },
    };

    private static Manifest Object(int i)
    {
        var name = $"obj-{i.ToString("D3", CultureInfo.InvariantCulture)}";
        JsonObject obj = (i % 3) switch
        {
            0 => new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["index"] = i.ToString(CultureInfo.InvariantCulture) } },
            1 => new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject
                {
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx:1.25" }) },
                    },
                },
            },
            _ => new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = name }, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
            },
        };
        return new Manifest(obj, $"faulty/{name}.yaml", 1);
    }

    /// <summary>A clock whose timers fire at once (on the thread pool) and that records every delay asked of it.</summary>
    private sealed class InstantDelays : TimeProvider
    {
        private readonly List<TimeSpan> _delays = [];

        public IReadOnlyList<TimeSpan> Delays
        {
            get
            {
                lock (_delays)
                {
                    return [.. _delays];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                lock (_delays)
                {
                    _delays.Add(dueTime);
                }

                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }

            return new NeverTimer();
        }
    }

    /// <summary>A clock whose timers never fire; signals when the first one is made.</summary>
    private sealed class HeldDelays : TimeProvider
    {
        public TaskCompletionSource DelayStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                DelayStarted.TrySetResult();
            }

            return new NeverTimer();
        }
    }

    private sealed class NeverTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
