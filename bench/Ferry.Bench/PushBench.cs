using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Ferry.Core.Jobs;
using Ferry.Core.Processes;
using Ferry.Core.Webhooks;
using Ferry.Functions.Composition;
using Ferry.Cli.Local;

namespace Ferry.Bench;

/// <summary>
/// Push → applied through the local host: a real Git repository with a 20-object app, a signed GitHub push webhook per
/// commit, the in-process queue and workers, the simulated API server. Reports p50/p95 and where the time goes.
/// </summary>
internal static class PushBench
{
    private const string RepoUrl = "https://github.com/bench/app";
    private const string Secret = "bench-secret";
    private static readonly ProcessRunner Runner = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var pushes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var root = System.IO.Directory.CreateTempSubdirectory("ferry-push-bench-").FullName;
        try
        {
            var repo = Path.Combine(root, "repo");
            System.IO.Directory.CreateDirectory(Path.Combine(repo, "app"));
            for (var i = 0; i < 10; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(repo, "app", $"cm-{i:00}.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i:00}\ndata:\n  version: \"0\"\n");
            }

            for (var i = 0; i < 5; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(repo, "app", $"web-{i}.yaml"), $"""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: web-{i}
                    spec:
                      replicas: 1
                      selector:
                        matchLabels: {"{"}app: web-{i}{"}"}
                      template:
                        metadata:
                          labels: {"{"}app: web-{i}{"}"}
                        spec:
                          containers:
                          - name: web
                            image: nginx:1.25
                    ---
                    apiVersion: v1
                    kind: Service
                    metadata:
                      name: web-{i}
                    spec:
                      selector: {"{"}app: web-{i}{"}"}
                      ports:
                      - port: 80
                    """);
            }

            await GitAsync(repo, "init", "-q", "-b", "main");
            await GitAsync(repo, "config", "uploadpack.allowAnySHA1InWant", "true");
            await GitAsync(repo, "add", "-A");
            await GitAsync(repo, "commit", "-q", "-m", "initial");
            System.IO.Directory.CreateDirectory(Path.Combine(root, "apps"));
            await File.WriteAllTextAsync(Path.Combine(root, "apps", "app.yaml"), $"""
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: bench
                spec:
                  source:
                    repoURL: {RepoUrl}
                    targetRevision: main
                    path: app
                  destination:
                    server: https://kubernetes.default.svc
                    namespace: bench
                  syncPolicy:
                    automated:
                      prune: true
                    syncOptions:
                    - CreateNamespace=true
                """);

            var done = new ConcurrentDictionary<string, TaskCompletionSource<ReconcileEvent>>(StringComparer.Ordinal);
            var listener = new Listener(done);
            await using var cluster = await SimulatedClusterConnector.StartAsync(CancellationToken.None);
            await using var host = await LocalHost.StartAsync(new LocalHostOptions
            {
                Settings = new FerrySettings
                {
                    Apps = Path.Combine(root, "apps"),
                    State = Path.Combine(root, "state"),
                    WebhookSecret = Secret,
                    GitConfig = [new($"url.file://{repo}.insteadOf", RepoUrl)],
                },
                Port = 0,
                DriftInterval = TimeSpan.FromHours(1),
                Clusters = cluster,
                Events = [listener],
            }, CancellationToken.None);

            using var http = new HttpClient();
            var endpoint = new Uri(host.BaseAddress, "api/github");
            var totals = new List<double>();
            var stages = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            Console.WriteLine($"push → applied: {pushes} pushes of a 20-object app (10 ConfigMaps, 5 Deployments, 5 Services), local host, in-process queue, simulated cluster");
            for (var i = 0; i <= pushes; i++)
            {
                var before = (await GitAsync(repo, "rev-parse", "HEAD")).Trim();
                var file = $"app/cm-{i % 10:00}.yaml";
                await File.WriteAllTextAsync(Path.Combine(repo, file), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i % 10:00}\ndata:\n  version: \"{i + 1}\"\n");
                await GitAsync(repo, "commit", "-q", "-am", $"change {i}");
                var after = (await GitAsync(repo, "rev-parse", "HEAD")).Trim();
                var waiter = done.GetOrAdd(after, _ => new TaskCompletionSource<ReconcileEvent>(TaskCreationOptions.RunContinuationsAsynchronously));
                var clock = Stopwatch.StartNew();
                var (status, body) = await DemoRepository.SendWebhookAsync(http, endpoint, "push", DemoRepository.PushPayload(before, after, [file], RepoUrl), Secret, CancellationToken.None);
                var webhookMs = clock.Elapsed.TotalMilliseconds;
                if (status != 202)
                {
                    Console.Error.WriteLine($"webhook answered {status}: {body}");
                    return 1;
                }

                var reconciled = await waiter.Task.WaitAsync(TimeSpan.FromSeconds(60));
                var total = clock.Elapsed.TotalMilliseconds;
                if (i == 0)
                {
                    continue; // The first push also creates everything and warms the Git cache: not a steady-state push.
                }

                totals.Add(total);
                Add(stages, "webhook (verify, match, enqueue)", webhookMs);
                Add(stages, "queue wait", Math.Max(0, total - webhookMs - reconciled.Duration.TotalMilliseconds));
                foreach (var (stage, ms) in reconciled.Status.Operation?.StageMilliseconds ?? new Dictionary<string, double>())
                {
                    Add(stages, stage, ms);
                }
            }

            Console.WriteLine();
            Console.WriteLine($"{"stage",-36} {"p50 ms",9} {"p95 ms",9}");
            foreach (var (stage, values) in stages.OrderBy(s => Order(s.Key)).ThenBy(s => s.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"{stage,-36} {Percentile(values, 50),9:0.0} {Percentile(values, 95),9:0.0}");
            }

            var p50 = Percentile(totals, 50);
            Console.WriteLine($"{"push → applied (total)",-36} {p50,9:0.0} {Percentile(totals, 95),9:0.0}");
            Console.WriteLine();
            Console.WriteLine($"target (DESIGN.md §6): p50 under 1000 ms → {(p50 < 1000 ? "met" : "missed")}; vs. waiting for the 180 s drift poll (90 s on average): {90_000 / p50:0}x sooner");
            return 0;
        }
        finally
        {
            try
            {
                System.IO.Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int Order(string stage) => stage switch
    {
        "webhook (verify, match, enqueue)" => 0,
        "queue wait" => 1,
        "resolve" => 2,
        "fetch" => 3,
        "render" => 4,
        "sync" => 5,
        _ => 6,
    };

    private static void Add(Dictionary<string, List<double>> stages, string stage, double ms)
    {
        if (!stages.TryGetValue(stage, out var list))
        {
            stages[stage] = list = [];
        }

        list.Add(ms);
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }

    private static async Task<string> GitAsync(string directory, params string[] arguments) =>
        (await Runner.RunAsync(new ProcessRequest
        {
            FileName = "git",
            Arguments = arguments,
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = "bench", ["GIT_AUTHOR_EMAIL"] = "bench@example.invalid", ["GIT_COMMITTER_NAME"] = "bench", ["GIT_COMMITTER_EMAIL"] = "bench@example.invalid",
            },
        }, CancellationToken.None)).StandardOutput;

    private sealed class Listener(ConcurrentDictionary<string, TaskCompletionSource<ReconcileEvent>> done) : IFerryEvents
    {
        public void WebhookReceived(string? deliveryId, WebhookResponse response)
        {
        }

        public void DriftDetected(DriftEvent drift)
        {
        }

        public void Reconciled(ReconcileEvent reconcile)
        {
            if (reconcile.Applied && reconcile.Status.Revision is { } revision)
            {
                done.GetOrAdd(revision, _ => new TaskCompletionSource<ReconcileEvent>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(reconcile);
            }
        }
    }
}
