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
}
