using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Yaml;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry render &lt;folder&gt;</c>: renders a folder on disk the way a sync would and prints the manifests. The managed CLI and the
/// native front (<c>src/Native</c>) both compile this file, so a folder renders, prints and fails alike in each.
/// </summary>
internal static class FolderRender
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Whether <c>render</c>'s argument means a folder: one that exists, or a name with a separator or a leading dot (a folder
    /// the user meant even when it does not exist — "no such directory", exit 2); anything else names an app of the catalog.</summary>
    public static bool IsFolder(string target) =>
        Directory.Exists(target) || target.Contains('/', StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal) || target.StartsWith('.');

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

            // The Core selector directly: a folder's render loads neither the function app nor ASP.NET Core.
            var result = await RendererSelector.CreateDefault(new ProcessRunner()).RenderAsync(request, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(Format(result.Manifests.Select(m => (JsonNode)m.Object.DeepClone()).ToList(), format)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is RenderException or YamlFormatException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    /// <summary>Rendered objects as <c>render</c> prints them: multi-document YAML, or an indented JSON array for <c>json</c>.</summary>
    public static string Format(IReadOnlyList<JsonNode> objects, string format) =>
        format == "json" ? new JsonArray([.. objects]).ToJsonString(Indented) + "\n" : YamlWriter.WriteAll(objects);

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
