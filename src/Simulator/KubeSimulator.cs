using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Yaml;
using Ferry.Simulator.Api;
using Ferry.Simulator.Hosting;
using Ferry.Simulator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Simulator;

/// <summary>An in-process fake Kubernetes API server (v1.26 wire behaviour) on 127.0.0.1, for tests, benchmarks and the demo.</summary>
public sealed class KubeSimulator : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Cluster cluster;
    private readonly Workloads workloads;
    private readonly RequestHandler handler;
    private readonly X509Certificate2? certificate;

    private KubeSimulator(KubeSimulatorOptions options, WebApplication app, Cluster cluster, Workloads workloads, RequestHandler handler, RequestLog log, X509Certificate2? certificate)
    {
        Options = options;
        Requests = log;
        this.app = app;
        this.cluster = cluster;
        this.workloads = workloads;
        this.handler = handler;
        this.certificate = certificate;
    }

    /// <summary>The options the simulator runs with.</summary>
    public KubeSimulatorOptions Options { get; }

    /// <summary>Where the server listens, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The PEM of the certificate clients must trust (the server's self-signed CA); null when serving plain HTTP.</summary>
    public string? CertificateAuthorityPem => certificate?.ExportCertificatePem();

    /// <summary>The bearer token requests must carry; null when none is required.</summary>
    public string? Token => Options.Token;

    /// <summary>The requests answered so far.</summary>
    public RequestLog Requests { get; }

    /// <summary>Every stored object (clones), ordered by apiVersion, kind, namespace and name.</summary>
    public IReadOnlyList<JsonObject> Objects =>
        cluster.Store.All
            .Select(o => o.Parse())
            .OrderBy(o => (string?)o["apiVersion"], StringComparer.Ordinal)
            .ThenBy(o => (string?)o["kind"], StringComparer.Ordinal)
            .ThenBy(o => (string?)o["metadata"]?["namespace"], StringComparer.Ordinal)
            .ThenBy(o => (string?)o["metadata"]?["name"], StringComparer.Ordinal)
            .ToList();

    /// <summary>Starts a simulator on 127.0.0.1 with an ephemeral port; the namespaces default, kube-system, kube-public and kube-node-lease exist.</summary>
    public static async Task<KubeSimulator> StartAsync(KubeSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeSimulatorOptions();
        var certificate = options.UseHttps ? SelfSignedCertificate.Create(options.TimeProvider) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (certificate is not null)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(certificate);
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
            });
        });

        var app = builder.Build();
        var cluster = new Cluster(options);
        var workloads = new Workloads(cluster, options.TimeProvider, options.RunControllers);
        var log = new RequestLog();
        var handler = new RequestHandler(cluster, options, log, workloads);
        var simulator = new KubeSimulator(options, app, cluster, workloads, handler, log, certificate);
        app.Run(handler.HandleAsync);
        cluster.Seed();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        handler.ServerAddress = $"{simulator.BaseAddress.Host}:{simulator.BaseAddress.Port}";
        return simulator;
    }

    /// <summary>Writes a kubeconfig (server, certificate-authority-data, token) with one context, <c>ferry-simulator</c>, made current.</summary>
    public void WriteKubeconfig(string path)
    {
        var cluster = new JsonObject { ["server"] = BaseAddress.GetLeftPart(UriPartial.Authority) };
        if (CertificateAuthorityPem is { } pem)
        {
            cluster["certificate-authority-data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        }

        var user = new JsonObject();
        if (Token is not null)
        {
            user["token"] = Token;
        }

        var config = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = "ferry-simulator", ["cluster"] = cluster }),
            ["users"] = new JsonArray(new JsonObject { ["name"] = "ferry-simulator", ["user"] = user }),
            ["contexts"] = new JsonArray(new JsonObject
            {
                ["name"] = "ferry-simulator",
                ["context"] = new JsonObject { ["cluster"] = "ferry-simulator", ["user"] = "ferry-simulator", ["namespace"] = "default" },
            }),
            ["current-context"] = "ferry-simulator",
        };
        File.WriteAllText(path, YamlWriter.Write(config));
    }

    /// <summary>A handler that trusts the simulator's CA and prefers HTTP/2, for tests that talk to it directly (pair with a bearer token if set).</summary>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (certificate is not null)
        {
            var trusted = X509CertificateLoader.LoadCertificate(certificate.RawData);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                {
                    if (presented is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
                },
            };
        }

        return handler;
    }

    /// <summary>Reads one object (a clone), or null; <paramref name="ns"/> is ignored for cluster-scoped kinds.</summary>
    public JsonObject? GetObject(string apiVersion, string kind, string? ns, string name)
    {
        var type = Resolve(apiVersion, kind);
        return cluster.Store.Get(type.Group, type.Plural, type.Namespaced ? ns ?? string.Empty : string.Empty, name)?.Parse();
    }

    /// <summary>Replaces an object's status as a controller would (status subresource, manager <paramref name="manager"/>); returns the stored object.</summary>
    public JsonObject UpdateStatus(string apiVersion, string kind, string? ns, string name, JsonObject status, string manager = "kube-controller-manager")
    {
        var type = Resolve(apiVersion, kind);
        return Found(cluster.Mutate(type, Scope(type, ns), name, manager, status: type.HasStatusSubresource, obj => obj["status"] = status.DeepClone()), kind, name);
    }

    /// <summary>Changes an object as another client would (an Update by <paramref name="manager"/>): drift for tests; returns the stored object.</summary>
    public JsonObject UpdateObject(string apiVersion, string kind, string? ns, string name, Action<JsonObject> change, string manager = "kubectl-edit")
    {
        var type = Resolve(apiVersion, kind);
        return Found(cluster.Mutate(type, Scope(type, ns), name, manager, status: false, change), kind, name);
    }

    /// <summary>Writes the status of a finished rollout for a Deployment, StatefulSet, DaemonSet or ReplicaSet (apps/v1).</summary>
    public JsonObject CompleteRollout(string kind, string ns, string name) => Found(workloads.CompleteRollout(kind, ns, name), kind, name);

    /// <summary>Writes the status of a Deployment whose rollout exceeded its progress deadline.</summary>
    public JsonObject FailRollout(string ns, string name) => Found(workloads.FailRollout(ns, name), "Deployment", name);

    /// <summary>Writes the status of a Job that completed.</summary>
    public JsonObject CompleteJob(string ns, string name) => Found(workloads.CompleteJob(ns, name), "Job", name);

    /// <summary>Writes the status of a Job that failed with the given message.</summary>
    public JsonObject FailJob(string ns, string name, string message) => Found(workloads.FailJob(ns, name, message), "Job", name);

    /// <summary>Sets a Pod's phase (Pending, Running, Succeeded, Failed) with matching conditions.</summary>
    public JsonObject SetPodPhase(string ns, string name, string phase) => Found(workloads.SetPodPhase(ns, name, phase), "Pod", name);

    /// <summary>Makes the next <paramref name="times"/> requests matching the predicate fail with a Status of the given code and reason.</summary>
    public void FailNext(Func<RecordedRequest, bool> predicate, int statusCode, string reason, int times = 1) =>
        handler.AddFault(new FaultRule(predicate, statusCode, reason, times));

    /// <summary>Forgets every object, CustomResourceDefinition, logged request and pending fault; the standard namespaces come back.</summary>
    public void Reset()
    {
        cluster.Store.Clear();
        cluster.Registry.Reset();
        handler.ClearFaults();
        Requests.Clear();
        cluster.Seed();
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        certificate?.Dispose();
    }

    private Discovery.ResourceType Resolve(string apiVersion, string kind) =>
        cluster.Registry.FindKind(apiVersion, kind) ?? throw new ArgumentException($"{apiVersion} {kind} is not served by the simulator", nameof(kind));

    private static string Scope(Discovery.ResourceType type, string? ns) => type.Namespaced ? ns ?? string.Empty : string.Empty;

    private static JsonObject Found(StoredObject? stored, string kind, string name) =>
        stored?.Parse() ?? throw new KeyNotFoundException($"{kind} {name} does not exist in the simulator");
}
