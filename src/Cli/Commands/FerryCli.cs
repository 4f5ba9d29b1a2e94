using System.CommandLine;
using System.CommandLine.Help;

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
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            // A usage error is stderr only (stdout stays clean for a pipe), one line per problem and a pointer to the help.
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"error: {CliConsole.OneLine(error.Message)}");
            }

            var verb = string.Join(' ', parse.CommandResult.Command is RootCommand ? [] : CommandPath(parse.CommandResult));
            await configuration.Error.WriteLineAsync($"see `ferry {(verb.Length == 0 ? string.Empty : verb + " ")}--help`");
            return ExitCodes.CouldNotRun;
        }

        try
        {
            var code = await parse.InvokeAsync(configuration, cancellationToken);
            return parse.Errors.Count > 0 ? ExitCodes.CouldNotRun : code;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await configuration.Error.WriteLineAsync($"error: {CliConsole.OneLine(ex.Message)}");
            return ExitCodes.CouldNotRun;
        }
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null && current.Command is not RootCommand; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }
}
