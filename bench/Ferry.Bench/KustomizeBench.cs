using System.Diagnostics;
using System.Globalization;
using Ferry.Core.Render.Kustomize;

namespace Ferry.Bench;

/// <summary>Native kustomize rendering against `kubectl kustomize` on the same generated overlays: median time per render and the ratio.</summary>
internal static class KustomizeBench
{
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(4);

    public static int Run(string[] args)
    {
        var runs = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var n) ? n : 15;
        var root = Path.Combine(Path.GetTempPath(), "ferry-kustomize-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(root);
        try
        {
            var overlays = new List<(string Name, string Dir)>
            {
                ("small (3 objects)", Generate(root, "small", 1)),
                ("medium (40 objects)", Generate(root, "medium", 10)),
                ("large (500 objects)", Generate(root, "large", 125)),
            };
            var kubectl = FindOnPath("kubectl");
            // Tiered JIT recompiles hot code in the background after a delay, so warm-up is measured in time, not renders,
            // and covers every overlay before any is measured (a worker renders many apps in one process).
            var warmup = Stopwatch.StartNew();
            while (warmup.Elapsed < WarmupTime)
            {
                foreach (var (_, dir) in overlays)
                {
                    KustomizeRenderer.Build(dir, root);
                }
            }

            Console.WriteLine($"kustomize render benchmark: median of {runs} runs per overlay (native after {WarmupTime.TotalSeconds:F0} s of warm-up renders)");
            Console.WriteLine($"{"overlay",-22} {"native ms",10} {"kubectl ms",11} {"ratio",8}");
            foreach (var (name, dir) in overlays)
            {
                // A worker renders many times in one process: measure the JIT-warmed renderer, as kubectl's compiled binary is.
                var output = KustomizeRenderer.Build(dir, root);

                var native = Median(runs, () => KustomizeRenderer.Build(dir, root));
                if (kubectl is null)
                {
                    Console.WriteLine($"{name,-22} {native,10:F2} {"-",11} {"-",8}");
                    continue;
                }

                var expected = RunKubectl(kubectl, dir);
                var same = expected == output ? string.Empty : "  (output differs from kubectl!)";
                var external = Median(Math.Max(3, runs / 3), () => RunKubectl(kubectl, dir));
                Console.WriteLine($"{name,-22} {native,10:F2} {external,11:F1} {external / native,7:F0}x{same}");
            }

            if (kubectl is null)
            {
                Console.WriteLine("kubectl not found on PATH: its column is skipped.");
            }

            return 0;
        }
        finally
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
    }

    private static double Median(int runs, Func<string> render)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            render();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>A generated tree for other benchmarks: <paramref name="apps"/> apps (3 objects each plus a shared ConfigMap) and its overlay.</summary>
    public static string GenerateTree(string root, int apps) => Generate(root, "tree", apps);

    private static string RunKubectl(string kubectl, string dir)
    {
        var info = new ProcessStartInfo(kubectl, ["kustomize", dir]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);

    /// <summary>A base of <paramref name="apps"/> apps (Deployment, Service, ServiceAccount, ConfigMap each) and an overlay using most kustomize features.</summary>
    private static string Generate(string root, string name, int apps)
    {
        var baseDir = Path.Combine(root, name, "base");
        var overlay = Path.Combine(root, name, "overlay");
        System.IO.Directory.CreateDirectory(baseDir);
        System.IO.Directory.CreateDirectory(overlay);
        var resources = new List<string>();
        for (var i = 0; i < apps; i++)
        {
            var file = $"app{i}.yaml";
            resources.Add(file);
            File.WriteAllText(Path.Combine(baseDir, file), $"""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app{i}
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {"{"}app: app{i}{"}"}
                  template:
                    metadata:
                      labels: {"{"}app: app{i}{"}"}
                    spec:
                      serviceAccountName: app{i}
                      containers:
                      - name: main
                        image: registry.example/app:{i}
                        envFrom:
                        - configMapRef: {"{"}name: settings{"}"}
                        ports:
                        - containerPort: 8080
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: app{i}
                spec:
                  selector: {"{"}app: app{i}{"}"}
                  ports:
                  - port: 80
                    targetPort: 8080
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: app{i}
                """);
        }

        File.WriteAllText(Path.Combine(baseDir, "kustomization.yaml"), "resources:\n" + string.Join(string.Empty, resources.Select(r => $"- {r}\n"))
            + "configMapGenerator:\n- name: settings\n  literals: [LOG_LEVEL=info, MODE=base]\n");
        File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), """
            resources: [../base]
            namespace: bench
            namePrefix: prod-
            commonLabels: {team: ferry}
            commonAnnotations: {owner: platform}
            images:
            - name: registry.example/app
              newTag: "2.0"
            configMapGenerator:
            - name: settings
              behavior: merge
              literals: [MODE=prod]
            patches:
            - target: {kind: Deployment}
              patch: |
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: any}
                spec:
                  template:
                    spec:
                      containers:
                      - name: main
                        resources: {limits: {memory: 256Mi}}
            """);
        return overlay;
    }
}
