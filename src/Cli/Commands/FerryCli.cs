using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>The <c>ferry</c> command line: one root with a verb per responsibility.</summary>
internal static class FerryCli
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("Ferry: GitOps delivery for Kubernetes, serverless on Azure Functions.");
        AppCommands.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        return root;
    }

    /// <summary>The root for a command line whose verb is <c>render</c>: only that verb is built, so a render's start-up does not
    /// compile and load every other verb's dependencies (ASP.NET Core, the function app, the cluster clients).</summary>
    public static RootCommand BuildForArgs(string[] args)
    {
        if (args is not ["render", ..])
        {
            return Build();
        }

        var root = new RootCommand("Ferry: GitOps delivery for Kubernetes, serverless on Azure Functions.");
        root.Subcommands.Add(RenderCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>: a usage error (System.CommandLine's parse errors) and an unexpected failure
    /// exit <see cref="ExitCodes.CouldNotRun"/>, never 1, which means drift or a failed operation.
    /// </summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        var parse = BuildForArgs([.. args]).Parse(args);
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
