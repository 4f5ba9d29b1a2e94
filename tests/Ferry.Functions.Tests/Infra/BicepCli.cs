using System.Diagnostics;
using System.Reflection;

namespace Ferry.Functions.Tests.Infra;

/// <summary>
/// The Bicep CLI from the <c>Azure.Bicep.CommandLine.linux-x64</c> package, which the test project restores; its
/// <c>BicepPath</c> MSBuild property is stamped into this assembly at build time.
/// </summary>
internal static class BicepCli
{
    /// <summary>The path of the <c>bicep</c> executable, or a clear failure when it is missing.</summary>
    public static string Path
    {
        get
        {
            var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "BicepPath")?.Value;
            if (string.IsNullOrEmpty(path))
            {
                throw new InvalidOperationException(
                    "BicepPath was not stamped into the test assembly: the package Azure.Bicep.CommandLine.linux-x64 did not restore (run `dotnet restore Ferry.slnx`).");
            }

            path = System.IO.Path.GetFullPath(path);
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException(
                    $"The Bicep CLI is missing at {path}: run `dotnet restore Ferry.slnx` to restore Azure.Bicep.CommandLine.linux-x64 (it carries tools/bicep; Linux x64 only).");
        }
    }

    /// <summary>Runs <c>bicep</c> with arguments and returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
