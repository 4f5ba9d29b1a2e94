using System.Diagnostics;
using System.Globalization;

namespace Ferry.Bench;

/// <summary>`ferry render` against `kubectl kustomize` as whole processes (start-up included) on a generated 49-object overlay:
/// runs alternate between the two so machine load hits both alike; prints the medians and the ratio.</summary>
internal static class RenderProcessBench
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: render-process <path to the ferry executable> [runs]   (publish it first: dotnet publish src/Cli -c Release -r linux-x64 -o <dir>)");
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
            var (ferryOutput, ferryExit) = Run(ferry, ["render", overlay]);
            var (kubectlOutput, _) = Run(kubectl, ["kustomize", overlay]);
            if (ferryExit != 0 || ferryOutput != kubectlOutput)
            {
                Console.Error.WriteLine($"ferry render (exit {ferryExit}) does not print what kubectl kustomize prints; not measuring.");
                return 1;
            }

            var objects = kubectlOutput.Split('\n').Count(l => l.StartsWith("kind:", StringComparison.Ordinal));
            var ferryTimes = new List<double>(runs);
            var kubectlTimes = new List<double>(runs);
            for (var i = 0; i < runs; i++)
            {
                ferryTimes.Add(Time(ferry, ["render", overlay]));
                kubectlTimes.Add(Time(kubectl, ["kustomize", overlay]));
            }

            var ferryMedian = Median(ferryTimes);
            var kubectlMedian = Median(kubectlTimes);
            Console.WriteLine($"whole-process render of a {objects}-object overlay: median of {runs} alternating runs (load average {LoadAverage()})");
            Console.WriteLine($"{"ferry render",-20} {ferryMedian,8:F1} ms");
            Console.WriteLine($"{"kubectl kustomize",-20} {kubectlMedian,8:F1} ms");
            Console.WriteLine($"ratio (kubectl / ferry) {kubectlMedian / ferryMedian,6:F2}x");
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
