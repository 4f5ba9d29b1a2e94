namespace Ferry.Bench;

/// <summary>Entry point: runs the benchmark named on the command line.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "kustomize")
        {
            return KustomizeBench.Run(args);
        }

        if (args.Length > 0 && args[0] == "render-process")
        {
            return RenderProcessBench.Run(args);
        }

        if (args.Length > 0 && args[0] == "sync")
        {
            return SyncBench.Run(args);
        }

        if (args.Length > 0 && args[0] == "fleet")
        {
            return FleetBench.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "push")
        {
            return PushBench.RunAsync(args).GetAwaiter().GetResult();
        }

        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Ferry.Bench -- <benchmark>   (benchmarks: kustomize [runs] | render-process <ferry executable> [runs] | sync [server-latency-ms] | push [pushes] | fleet [server-latency-ms] [sizes] [paths])");
        return 2;
    }
}
