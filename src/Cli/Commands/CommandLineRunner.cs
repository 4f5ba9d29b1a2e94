using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>
/// Runs a parsed <c>ferry</c> command line and maps its outcome to an exit code. The managed CLI and the native front
/// (<c>src/Native</c>) both compile this file, so a <c>render</c> command line behaves alike in each.
/// </summary>
internal static class CommandLineRunner
{
    /// <summary>The root command's description, shown by <c>--help</c>.</summary>
    public const string Description = "Ferry: GitOps delivery for Kubernetes, serverless on Azure Functions.";

    /// <summary>
    /// Parses and runs <paramref name="args"/> against <paramref name="root"/>: a usage error (System.CommandLine's parse errors)
    /// and an unexpected failure exit <see cref="ExitCodes.CouldNotRun"/>, never 1, which means drift or a failed operation.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration? configuration, CancellationToken cancellationToken)
    {
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        var parse = root.Parse(args);
        try
        {
            var code = await parse.InvokeAsync(configuration, cancellationToken);
            return parse.Errors.Count > 0 ? ExitCodes.CouldNotRun : code;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await configuration.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.CouldNotRun;
        }
    }
}
