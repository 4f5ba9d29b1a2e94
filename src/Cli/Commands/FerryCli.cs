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
}
