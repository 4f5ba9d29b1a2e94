using System.Diagnostics;
using System.Globalization;

namespace Ferry.Bench;

/// <summary>`ferry render` against `kubectl kustomize` as whole processes (start-up included) on a generated 49-object overlay:
/// runs alternate between them so machine load hits all alike; prints the medians and the ratios. When the managed CLI a publish
/// places beside the native front (`ferry-managed`) is there, it is timed too.</summary>
internal static class RenderProcessBench
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: render-process <path to the ferry executable> [runs]   (publish it first: dotnet publish src/Cli -c Release -r linux-x64 --self-contained false -o <dir>)");
            return 2;
        }

        var ferry = Path.GetFullPath(args[1]);
        var runs = args.Length > 2 && int.TryParse(args[2], CultureInfo.InvariantCulture, out var n) ? n : 21;
        var kubectl = KustomizeBench.FindOnPath("kubectl");
        if (kubectl is null)
        {
            Console.Error.WriteLine("kubectl not found on PATH");
            return 2;
        }

        var root = Path.Combine(Path.GetTempPath(), "ferry-render-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        try
        {
            // `ferry render` takes the enclosing Git working tree as the root the overlay may reach into.
            Directory.CreateDirectory(Path.Combine(root, ".git"));
            var overlay = KustomizeBench.GenerateTree(root, 16);
            var managed = Path.Combine(Path.GetDirectoryName(ferry)!, "ferry-managed");
            List<(string Label, string File, string[] Arguments)> commands = [("ferry render", ferry, ["render", overlay])];
            if (File.Exists(managed) && managed != ferry)
            {
                commands.Add(("ferry-managed render", managed, ["render", overlay]));
            }

            commands.Add(("kubectl kustomize", kubectl, ["kustomize", overlay]));
            var (kubectlOutput, _) = Run(kubectl, ["kustomize", overlay]);
            foreach (var (label, file, arguments) in commands.SkipLast(1))
            {
                var (output, exit) = Run(file, arguments);
                if (exit != 0 || output != kubectlOutput)
                {
                    Console.Error.WriteLine($"{label} (exit {exit}) does not print what kubectl kustomize prints; not measuring.");
                    return 1;
                }
            }

            var objects = kubectlOutput.Split('\n').Count(l => l.StartsWith("kind:", StringComparison.Ordinal));
            var times = commands.Select(_ => new List<double>(runs)).ToList();
            for (var i = 0; i < runs; i++)
            {
                for (var c = 0; c < commands.Count; c++)
                {
                    times[c].Add(Time(commands[c].File, commands[c].Arguments));
                }
            }

            var medians = times.Select(Median).ToList();
            var kubectlMedian = medians[^1];
            Console.WriteLine($"whole-process render of a {objects}-object overlay: median of {runs} alternating runs (load average {LoadAverage()})");
            for (var c = 0; c < commands.Count; c++)
            {
                var ratio = c < commands.Count - 1 ? $"   kubectl / this {kubectlMedian / medians[c],6:F2}x" : string.Empty;
                Console.WriteLine($"{commands[c].Label,-22} {medians[c],8:F1} ms{ratio}");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Time(string file, string[] arguments)
    {
        var watch = Stopwatch.StartNew();
        Run(file, arguments);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static (string Output, int Exit) Run(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = error.Result;
        return (output, process.ExitCode);
    }

    private static double Median(List<double> times)
    {
        times.Sort();
        return times[times.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
