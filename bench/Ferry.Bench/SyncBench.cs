using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Inventory;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Sync;
using Ferry.Simulator;

namespace Ferry.Bench;

/// <summary>
/// Sync of 1, 10, 100 and 1,000 objects through <see cref="SyncEngine"/> and <see cref="KubeClient"/> against the simulator,
/// first sync and no-change re-sync, against a kubectl-style baseline in the same process: one server-side apply per object, in turn.
/// </summary>
internal static class SyncBench
{
    private const string Token = "bench-token";

    private static readonly int[] Sizes = [1, 10, 100, 1000];

    private static string LastStages { get; set; } = string.Empty;

    public static int Run(string[] args)
    {
        var latency = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var ms) ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
        return RunAsync(latency).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(TimeSpan latency)
    {
        await using var server = await KubeSimulator.StartAsync(new KubeSimulatorOptions
        {
            Token = Token,
            AutoComplete = true,
            LogRequests = false,
            CaptureRequestBodies = false,
            Latency = latency,
        });
        var http = 0;
        using var client = KubeClientFactory.FromToken(server.BaseAddress, Token, server.CertificateAuthorityPem, options: new KubeClientOptions
        {
            OnRequest = _ => Interlocked.Increment(ref http),
        });
        var kube = new CountingKubeClient(client);
        var engine = new SyncEngine(kube, HealthAssessor.Assess);

        Console.WriteLine($"sync benchmark: SyncEngine + KubeClient against KubeSimulator (HTTPS/HTTP2, request log off, server latency {latency.TotalMilliseconds:F0} ms, {Environment.ProcessorCount} CPUs)");
        Console.WriteLine("baseline: a kubectl-style client over the same KubeClient: one server-side apply (PATCH, force) per object, in turn, no diff");
        Console.WriteLine();

        // Warm up both paths (JIT, connections, discovery) outside the figures.
        await CreateNamespaceAsync(client, "warmup-ferry");
        await CreateNamespaceAsync(client, "warmup-kubectl");
        await FerrySyncAsync(engine, kube, "warmup-ferry", Objects(30), []);
        await BaselineAsync(kube, "warmup-kubectl", Objects(30));

        var rows = new List<Row>();
        var stages = string.Empty;
        foreach (var size in Sizes)
        {
            var reps = size switch { <= 10 => 9, <= 100 => 3, _ => 1 };
            var objects = Objects(size);
            var first = new List<Measure>();
            var again = new List<Measure>();
            var kubectlFirst = new List<Measure>();
            var kubectlAgain = new List<Measure>();
            for (var rep = 0; rep < reps; rep++)
            {
                var ns = $"ferry-{size}-{rep}";
                await CreateNamespaceAsync(client, ns);
                await CreateNamespaceAsync(client, $"kubectl-{size}-{rep}");
                IReadOnlyList<InventoryEntry> inventory = [];
                first.Add(await MeasureAsync(kube, () => http, async () => inventory = await FerrySyncAsync(engine, kube, ns, objects, [])));
                var firstStages = LastStages;
                again.Add(await MeasureAsync(kube, () => http, () => FerrySyncAsync(engine, kube, ns, objects, inventory)));
                if (size == Sizes[^1])
                {
                    stages = $"engine stages at {size} (ms): first sync: {firstStages}; re-sync: {LastStages}";
                }

                kubectlFirst.Add(await MeasureAsync(kube, () => http, () => BaselineAsync(kube, $"kubectl-{size}-{rep}", objects)));
                kubectlAgain.Add(await MeasureAsync(kube, () => http, () => BaselineAsync(kube, $"kubectl-{size}-{rep}", objects)));
            }

            rows.Add(new Row(size, Median(first), Median(again), Median(kubectlFirst), Median(kubectlAgain)));
        }

        Print(rows);
        Console.WriteLine(stages);
        return 0;
    }

    private static async Task<IReadOnlyList<InventoryEntry>> FerrySyncAsync(SyncEngine engine, IKubeClient kube, string ns, IReadOnlyList<Manifest> objects, IReadOnlyList<InventoryEntry> inventory)
    {
        var result = await engine.SyncAsync(new SyncRequest
        {
            AppName = "bench",
            Manifests = objects,
            Inventory = inventory,
            DestinationNamespace = ns,
            PollInterval = TimeSpan.FromMilliseconds(50),
        }, CancellationToken.None);
        if (result.Phase != Ferry.Core.Status.OperationPhase.Succeeded || result.SyncStatus != Ferry.Core.Status.SyncStatusCode.Synced)
        {
            throw new InvalidOperationException($"sync of {objects.Count} objects in {ns} did not succeed: {result.Phase} {result.SyncStatus}: {result.Message}");
        }

        _ = kube;
        LastStages = string.Join(", ", result.StageMilliseconds.Select(kv => $"{kv.Key} {kv.Value:F0}"));
        return result.Inventory;
    }

    /// <summary>What <c>kubectl apply --server-side</c> does per object: one PATCH, sent whether or not anything changed.</summary>
    private static async Task<IReadOnlyList<InventoryEntry>> BaselineAsync(IKubeClient kube, string ns, IReadOnlyList<Manifest> objects)
    {
        foreach (var manifest in objects)
        {
            var obj = (JsonObject)manifest.Object.DeepClone();
            obj["metadata"]!["namespace"] = ns;
            await kube.ApplyAsync(obj, new ApplyOptions { FieldManager = "kubectl", Force = true }, CancellationToken.None);
        }

        return [];
    }

    private static async Task CreateNamespaceAsync(IKubeClient kube, string name) =>
        await kube.ApplyAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } }, new ApplyOptions(), CancellationToken.None);

    private static async Task<Measure> MeasureAsync(CountingKubeClient kube, Func<int> http, Func<Task> body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(false);
        var peak = baseline;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(2, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        kube.Reset();
        var requestsBefore = http();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await body();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await stop.CancelAsync();
        await sampler;
        peak = Math.Max(peak, GC.GetTotalMemory(false));
        using var process = Process.GetCurrentProcess();
        return new Measure(elapsed, http() - requestsBefore, kube.Applies, kube.DryRuns, kube.Gets, kube.Lists, (peak - baseline) / 1048576.0, allocated / 1048576.0, process.PeakWorkingSet64 / 1048576.0);
    }

    private static Measure Median(List<Measure> runs) => runs.OrderBy(m => m.Milliseconds).ElementAt(runs.Count / 2);

    /// <summary>A mix of ConfigMaps, Deployments and Services (one in three each), named so the plan order is stable.</summary>
    private static List<Manifest> Objects(int count)
    {
        var list = new List<Manifest>(count);
        for (var i = 0; i < count; i++)
        {
            var name = $"obj-{i:D4}";
            JsonObject obj = (i % 3) switch
            {
                0 => new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "ConfigMap",
                    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = name } },
                    ["data"] = new JsonObject { ["greeting"] = "hello", ["index"] = i.ToString(CultureInfo.InvariantCulture), ["config.yaml"] = "log:\n  level: info\nport: 8080\n" },
                },
                1 => new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject
                    {
                        ["replicas"] = 2,
                        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                            ["spec"] = new JsonObject
                            {
                                ["containers"] = new JsonArray(new JsonObject
                                {
                                    ["name"] = "web",
                                    ["image"] = "nginx:1.25",
                                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }),
                                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" } },
                                }),
                            },
                        },
                    },
                },
                _ => new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Service",
                    ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = name } },
                    ["spec"] = new JsonObject
                    {
                        ["selector"] = new JsonObject { ["app"] = name },
                        ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = 8080 }),
                    },
                },
            };
            list.Add(new Manifest(obj, $"bench/{name}.yaml", 1));
        }

        return list;
    }

    private static void Print(List<Row> rows)
    {
        Console.WriteLine($"{"objects",7} | {"run",-17} | {"wall ms",9} | {"ms/object",9} | {"HTTP",6} | {"PATCH",6} | {"dry-run",7} | {"GET",5} | {"LIST",5} | {"heap Δ MiB",10} | {"alloc MiB",9} | {"peak WS MiB",11}");
        Console.WriteLine(new string('-', 138));
        foreach (var row in rows)
        {
            Line(row.Size, "ferry first sync", row.First);
            Line(row.Size, "ferry re-sync", row.Again);
            Line(row.Size, "kubectl-style 1st", row.KubectlFirst);
            Line(row.Size, "kubectl re-apply", row.KubectlAgain);
        }

        Console.WriteLine();
        Console.WriteLine("ratios (higher is better for Ferry; DESIGN.md §6 targets: first ≥ 3x, no-change ≥ 10x, linear growth, peak < 300 MiB at 1,000)");
        Console.WriteLine($"{"objects",7} | {"first: kubectl/ferry",20} | {"no-change: kubectl/ferry",24} | {"re-sync/first (ferry)",21} | {"ms/object vs 1-object run",25}");
        Console.WriteLine(new string('-', 110));
        var unit = rows[0].First.Milliseconds / rows[0].Size;
        foreach (var row in rows)
        {
            var perObject = row.First.Milliseconds / row.Size;
            Console.WriteLine($"{row.Size,7} | {Ratio(row.KubectlFirst.Milliseconds, row.First.Milliseconds),20} | {Ratio(row.KubectlAgain.Milliseconds, row.Again.Milliseconds),24} | {row.Again.Milliseconds / row.First.Milliseconds,21:F2} | {perObject / unit,25:F3}");
        }

        var largest = rows[^1];
        Console.WriteLine();
        Console.WriteLine($"linearity: ms/object at 10 → 100 → 1,000 = {string.Join(" → ", rows.Skip(1).Select(r => (r.First.Milliseconds / r.Size).ToString("F3", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($"memory at {largest.Size}: peak managed heap Δ {largest.First.HeapMiB:F1} MiB (GC.GetTotalMemory sampled every 2 ms), allocated {largest.First.AllocatedMiB:F0} MiB; " +
            $"process peak working set {largest.First.PeakWorkingSetMiB:F0} MiB (Process.PeakWorkingSet64, whole process including the in-process simulator and every earlier run)");
    }

    private static string Ratio(double baseline, double ferry) => $"{baseline / ferry:F1}x";

    private static void Line(int size, string run, Measure m) =>
        Console.WriteLine($"{size,7} | {run,-17} | {m.Milliseconds,9:F1} | {m.Milliseconds / size,9:F3} | {m.Http,6} | {m.Patches,6} | {m.DryRuns,7} | {m.Gets,5} | {m.Lists,5} | {m.HeapMiB,10:F1} | {m.AllocatedMiB,9:F1} | {m.PeakWorkingSetMiB,11:F0}");

    private sealed record Measure(double Milliseconds, int Http, int Patches, int DryRuns, int Gets, int Lists, double HeapMiB, double AllocatedMiB, double PeakWorkingSetMiB);

    private sealed record Row(int Size, Measure First, Measure Again, Measure KubectlFirst, Measure KubectlAgain);
}
