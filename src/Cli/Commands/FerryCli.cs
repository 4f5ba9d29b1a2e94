using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>The <c>ferry</c> command line: one root with a verb per responsibility.</summary>
internal static class FerryCli
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(CommandLineRunner.Description);
        AppCommands.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        return root;
    }

    /// <summary>The root for a command line whose verb is <c>render</c>: only that verb is built, so a render's start-up does not
    /// compile and load every other verb's dependencies (ASP.NET Core, the function app, the cluster clients).</summary>
    public static RootCommand BuildForArgs(string[] args) => args is ["render", ..] ? RenderCommand.CreateRoot() : Build();

    /// <summary>Parses and runs <paramref name="args"/> with every verb (see <see cref="CommandLineRunner.InvokeAsync"/> for the exit codes).</summary>
    public static Task<int> InvokeAsync(IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default) =>
        CommandLineRunner.InvokeAsync(BuildForArgs([.. args]), args, configuration, cancellationToken);
}
