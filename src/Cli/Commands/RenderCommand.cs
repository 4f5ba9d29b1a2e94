using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Yaml;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry render &lt;path&gt; [--output yaml|json]</c>: renders a folder on disk the way a sync would and prints the manifests.</summary>
internal static class RenderCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A root command holding only this verb: what runs a command line whose verb is <c>render</c>, in the managed CLI and
    /// in the native front alike.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand(CommandLineRunner.Description);
        root.Subcommands.Add(Create());
        return root;
    }

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Folder to render (a chart, a kustomization or plain manifests).", DefaultValueFactory = _ => "." };
        var output = new Option<string>("--output", "-o") { Description = "Output format: yaml (multi-document) or json (an array).", DefaultValueFactory = _ => "yaml" };
        output.AcceptOnlyFromAmong("yaml", "json");
        var command = new Command("render", "Render a folder as Ferry would (tool detected like Argo CD) and print the manifests.") { path, output };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(path) ?? ".",
            parseResult.GetValue(output) ?? "yaml",
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    /// <summary>Renders and prints; returns the exit code: 1 with <c>file:line: reason</c> when the render fails, 2 when there is no such folder.</summary>
    public static async Task<int> RunAsync(string path, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var folder = Path.GetFullPath(path);
            if (!Directory.Exists(folder))
            {
                await error.WriteLineAsync($"{path}: no such directory").ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }

            var root = FindRepositoryRoot(folder) ?? folder;
            var request = new RenderRequest
            {
                RootDirectory = root,
                Path = Path.GetRelativePath(root, folder).Replace('\\', '/'),
                AppName = new DirectoryInfo(folder).Name,
            };

            // The Core selector directly: `render` loads neither the function app nor ASP.NET Core.
            var result = await RendererSelector.CreateDefault(new ProcessRunner()).RenderAsync(request, cancellationToken).ConfigureAwait(false);
            var objects = result.Manifests.Select(m => (JsonNode)m.Object.DeepClone()).ToList();
            var text = format == "json"
                ? new JsonArray([.. objects]).ToJsonString(Indented) + "\n"
                : YamlWriter.WriteAll(objects);
            await output.WriteAsync(text).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is RenderException or YamlFormatException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The enclosing Git working tree's top folder (holding <c>.git</c>, a folder or a worktree's file), or null.</summary>
    private static string? FindRepositoryRoot(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
