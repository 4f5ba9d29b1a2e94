using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Apps;
using Ferry.Core.Git;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Status;
using Ferry.Simulator;

namespace Ferry.Bench;

/// <summary>
/// A fleet: N apps × 10 ConfigMaps in one real Git repository (one folder per app), spread over 10 namespaces of one simulated
/// cluster with per-request latency. Measures cold start to all Synced and a no-change drift sweep, through the drift check,
/// the in-process queue and the job processor, for each drift path in the same process: the per-app path (one refresh job
/// per app) as the baseline, and the shared sweep.
/// </summary>
internal static class FleetBench
{
    private const string Token = "fleet-token";
    private const int ObjectsPerApp = 10;
    private const int Namespaces = 10;
    private const int Workers = 16;
    private static readonly ProcessRunner Runner = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var latency = TimeSpan.FromMilliseconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2);
        var sizes = args.Length > 2 ? args[2].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : [10, 100, 1000];
        var paths = args.Length > 3 ? args[3].Split(',').Select(Enum.Parse<DriftPath>).ToArray() : Enum.GetValues<DriftPath>();
        Console.WriteLine($"fleet benchmark: N apps × {ObjectsPerApp} ConfigMaps, one Git repository (file://, an app per folder), {Namespaces} namespaces, "
            + $"KubeSimulator with {latency.TotalMilliseconds:F0} ms per request, {Workers} queue workers, {Environment.ProcessorCount} CPUs");
        Console.WriteLine("figures: wall time; API reads (GET) and writes (POST/PUT/PATCH/DELETE, dry runs counted apart) as the simulator answered them; "
            + "remote ref listings and fetches as the Git cache made them; peak managed heap (sampled) and the process's peak working set");
        Console.WriteLine();

        var rows = new List<Row>();
        foreach (var size in sizes)
        {
            var root = System.IO.Directory.CreateTempSubdirectory("ferry-fleet-bench-").FullName;
            try
            {
                var repo = await CreateRepositoryAsync(root, size);
                foreach (var path in paths)
                {
                    rows.Add(await MeasureAsync(root, repo, size, path, latency));
                    GC.Collect();
                }
            }
            finally
            {
                System.IO.Directory.Delete(root, recursive: true);
            }
        }

        Print(rows);
        return 0;
    }

    private static async Task<Row> MeasureAsync(string root, string repo, int size, DriftPath path, TimeSpan latency)
    {
        var state = Path.Combine(root, $"state-{path}");
        await using var server = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = Token, AutoComplete = true, CaptureRequestBodies = false, Latency = latency });
        var kubeconfig = Path.Combine(root, $"kubeconfig-{path}");
        server.WriteKubeconfig(kubeconfig);
        using (var admin = await KubeClientFactory.FromKubeConfigAsync(kubeconfig, null, null, CancellationToken.None))
        {
            for (var ns = 0; ns < Namespaces; ns++)
            {
                await admin.ApplyAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = NamespaceOf(ns) } }, new ApplyOptions(), CancellationToken.None);
            }
        }

        var refListings = 0;
        var fetches = 0;
        var git = new GitRepositoryCache(new GitCacheOptions
        {
            RootDirectory = Path.Combine(state, "git"),
            OnCommand = info =>
            {
                if (info.Command == "ls-remote")
                {
                    Interlocked.Increment(ref refListings);
                }
                else if (info.Command == "fetch")
                {
                    Interlocked.Increment(ref fetches);
                }
            },
        });
        var catalog = new FixedCatalogProvider(new ApplicationCatalogLoader().Load([(Applications(repo, size), "fleet.yaml")]));
        using var clusters = new ClusterConnector(new ClusterCatalog([new ClusterEntry("fleet", server.BaseAddress.GetLeftPart(UriPartial.Authority), new KubeconfigClusterAuth(kubeconfig))]));
        var store = new FileStatusStore(state);
        var reconciler = new AppReconciler(catalog, git, RendererSelector.CreateDefault(Runner), clusters, store,
            new AppReconcilerOptions { PollInterval = TimeSpan.FromMilliseconds(50) });
        var queue = new InMemoryJobQueue();
        var drift = path == DriftPath.PerApp ? new DriftCheck(catalog, queue, store: store) : new DriftCheck(catalog, queue, store: store, clusters: clusters);
        var processor = new JobProcessor(reconciler, sweep: new FleetSweep(catalog, reconciler, queue, clusters));

        server.Requests.Clear();
        var cold = await PhaseAsync(server, () => (refListings, fetches), async () =>
        {
            await drift.RunAsync(CancellationToken.None);
            await DrainAsync(queue, processor);
        });
        var statuses = await store.ListAsync(CancellationToken.None);
        var synced = statuses.Count(s => s.SyncStatus == SyncStatusCode.Synced);
        if (synced != size)
        {
            var sample = statuses.FirstOrDefault(s => s.SyncStatus != SyncStatusCode.Synced);
            throw new InvalidOperationException($"{path} at {size} apps: {synced} of {size} apps Synced after the cold start; e.g. {sample?.Name}: {sample?.SyncStatus} {sample?.Operation?.Message}");
        }

        var first = await PhaseAsync(server, () => (refListings, fetches), async () =>
        {
            await drift.RunAsync(CancellationToken.None);
            await DrainAsync(queue, processor);
        });
        var sweep = await PhaseAsync(server, () => (refListings, fetches), async () =>
        {
            await drift.RunAsync(CancellationToken.None);
            await DrainAsync(queue, processor);
        });
        return new Row(size, path, cold, first, sweep, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>Runs the queue's jobs with <see cref="Workers"/> workers, as the host would, until the queue is empty and no job is in hand.</summary>
    private static async Task DrainAsync(InMemoryJobQueue queue, JobProcessor processor)
    {
        var inHand = 0;
        var visibility = TimeSpan.FromMinutes(5);
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                Interlocked.Increment(ref inHand);
                var job = await queue.TryReceiveAsync(visibility, CancellationToken.None);
                if (job is null)
                {
                    if (Interlocked.Decrement(ref inHand) == 0 && queue.Count == 0)
                    {
                        return;
                    }

                    await Task.Delay(5);
                    continue;
                }

                try
                {
                    var outcome = await processor.ProcessAsync(job.Message, CancellationToken.None);
                    if (outcome.Completed)
                    {
                        await queue.CompleteAsync(job, CancellationToken.None);
                    }
                    else
                    {
                        await queue.AbandonAsync(job, outcome.RetryAfter ?? TimeSpan.FromMilliseconds(100), CancellationToken.None);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref inHand);
                }
            }
        })));
    }

    private static async Task<Phase> PhaseAsync(KubeSimulator server, Func<(int Listings, int Fetches)> git, Func<Task> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        server.Requests.Clear();
        var (listings, fetches) = git();
        var peak = GC.GetTotalMemory(false);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await sampling.CancelAsync();
        await sampler;
        var requests = server.Requests.Snapshot();
        var (listingsAfter, fetchesAfter) = git();
        return new Phase(
            clock.Elapsed,
            cpu,
            requests.Count(r => r.Method == "GET"),
            requests.Count(r => r.Method == "GET" && IsList(r)),
            requests.Count(r => r.IsMutating),
            requests.Count(r => r.IsDryRun),
            listingsAfter - listings,
            fetchesAfter - fetches,
            peak);
    }

    /// <summary>A collection read: the path ends in a resource name, not an object's (namespaces/{ns}/{resource}).</summary>
    private static bool IsList(RecordedRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        var at = Array.LastIndexOf(segments, "namespaces");
        return at >= 0 && segments.Length == at + 3;
    }

    private static void Print(List<Row> rows)
    {
        Console.WriteLine("no-change sweep: the second sweep after the cold start (the first one after a sync records each app's comparison fingerprint: "
            + "first sweep wall / status writes shown apart)");
        Console.WriteLine("| apps | path | cold start to all Synced | cold: reads / writes / dry runs | cold: ref listings / fetches | first sweep | no-change sweep | sweep CPU | sweep: reads (lists) / writes / dry runs | sweep: ref listings / fetches | peak heap cold / sweep | peak working set |");
        Console.WriteLine("|---:|---|---:|---|---|---:|---:|---:|---|---|---|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Apps:N0} | {r.Path} | {Ms(r.Cold.Wall)} | {r.Cold.Reads:N0} / {r.Cold.Writes:N0} / {r.Cold.DryRuns:N0} | {r.Cold.RefListings:N0} / {r.Cold.Fetches:N0} | {Ms(r.First.Wall)} | {Ms(r.Sweep.Wall)} | {Ms(r.Sweep.Cpu)} | {r.Sweep.Reads:N0} ({r.Sweep.Lists:N0}) / {r.Sweep.Writes:N0} / {r.Sweep.DryRuns:N0} | {r.Sweep.RefListings:N0} / {r.Sweep.Fetches:N0} | {Mib(r.Cold.PeakHeap)} / {Mib(r.Sweep.PeakHeap)} | {Mib(r.PeakWorkingSet)} |"));
        }

        var baseline = rows.Where(r => r.Path == DriftPath.PerApp).ToDictionary(r => r.Apps);
        var shared = rows.Where(r => r.Path != DriftPath.PerApp && baseline.ContainsKey(r.Apps)).ToList();
        if (shared.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| apps | cold: per-app ÷ sweep | no-change sweep: per-app ÷ sweep (wall) | sweep reads: per-app ÷ sweep | sweep ref listings: per-app ÷ sweep |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            foreach (var r in shared)
            {
                var b = baseline[r.Apps];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Apps:N0} | {Ratio(b.Cold.Wall.TotalMilliseconds, r.Cold.Wall.TotalMilliseconds)} | {Ratio(b.Sweep.Wall.TotalMilliseconds, r.Sweep.Wall.TotalMilliseconds)} | {Ratio(b.Sweep.Reads, r.Sweep.Reads)} | {Ratio(b.Sweep.RefListings, r.Sweep.RefListings)} |"));
            }
        }

        var growth = rows.GroupBy(r => r.Path).Where(g => g.Count() > 1).ToList();
        if (growth.Count > 0)
        {
            Console.WriteLine();
            foreach (var g in growth)
            {
                var ordered = g.OrderBy(r => r.Apps).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{g.Key}: per app, cold start {string.Join(" → ", ordered.Select(r => $"{r.Cold.Wall.TotalMilliseconds / r.Apps:F1}"))} ms; no-change sweep {string.Join(" → ", ordered.Select(r => $"{r.Sweep.Wall.TotalMilliseconds / r.Apps:F2}"))} ms, {string.Join(" → ", ordered.Select(r => $"{(double)r.Sweep.Reads / r.Apps:F2}"))} reads ({string.Join(" → ", ordered.Select(r => r.Apps.ToString("N0", CultureInfo.InvariantCulture)))} apps)"));
            }
        }
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F1} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:N0} ms");

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:F0} MiB");

    private static string Ratio(double baseline, double value) => value <= 0
        ? "∞"
        : string.Create(CultureInfo.InvariantCulture, $"{baseline / value:F1}×");

    private static string NamespaceOf(int index) => $"fleet-{index:00}";

    private static string AppName(int index) => $"app-{index:0000}";

    private static async Task<string> CreateRepositoryAsync(string root, int apps)
    {
        var repo = Path.Combine(root, "repo");
        for (var a = 0; a < apps; a++)
        {
            var folder = Path.Combine(repo, "apps", AppName(a));
            System.IO.Directory.CreateDirectory(folder);
            for (var i = 0; i < ObjectsPerApp; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"cm-{i}.yaml"),
                    $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {AppName(a)}-cm-{i}\ndata:\n  app: {AppName(a)}\n  index: \"{i}\"\n");
            }
        }

        await GitAsync(repo, "init", "-q", "-b", "main");
        await GitAsync(repo, "config", "uploadpack.allowAnySHA1InWant", "true");
        await GitAsync(repo, "add", "-A");
        await GitAsync(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "fleet");
        return new Uri(repo).AbsoluteUri;
    }

    private static string Applications(string repoUrl, int apps)
    {
        var text = new StringBuilder();
        for (var a = 0; a < apps; a++)
        {
            text.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: {AppName(a)}
                spec:
                  project: default
                  source:
                    repoURL: {repoUrl}
                    targetRevision: main
                    path: apps/{AppName(a)}
                  destination:
                    name: fleet
                    namespace: {NamespaceOf(a % Namespaces)}
                  syncPolicy:
                    automated:
                      prune: true
                      selfHeal: true

                """);
        }

        return text.ToString();
    }

    private static async Task GitAsync(string repo, params string[] args)
    {
        var result = await Runner.RunAsync(new ProcessRequest { FileName = "git", Arguments = args, WorkingDirectory = repo }, CancellationToken.None);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result.StandardError}");
        }
    }

    private enum DriftPath
    {
        /// <summary>The baseline: one refresh job per app, each with its own ref listing and lists.</summary>
        PerApp,

        /// <summary>One sweep job per cluster: one ref listing per repository, one list per (resource, namespace).</summary>
        Sweep,
    }

    private sealed record Phase(TimeSpan Wall, TimeSpan Cpu, int Reads, int Lists, int Writes, int DryRuns, int RefListings, int Fetches, long PeakHeap);

    private sealed record Row(int Apps, DriftPath Path, Phase Cold, Phase First, Phase Sweep, long PeakWorkingSet);

    /// <summary>The catalog read once: the benchmark measures the sweep, not reading 1,000 Application files per job.</summary>
    private sealed class FixedCatalogProvider(ApplicationCatalog catalog) : ICatalogProvider
    {
        public Task<ApplicationCatalog> GetAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);
    }
}
