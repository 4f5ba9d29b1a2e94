using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Core.Render;
using Ferry.Core.Yaml;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry render &lt;path&gt; [--output yaml|json]</c>: renders a folder on disk the way a sync would and prints the manifests.</summary>
internal static class RenderCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "Folder to render (a chart, a kustomization or plain manifests), or an app of the catalog.", DefaultValueFactory = _ => "." };
        var output = new Option<string>("--output", "-o") { Description = "Output format: yaml (multi-document) or json (an array).", DefaultValueFactory = _ => "yaml" };
        output.AcceptOnlyFromAmong("yaml", "json");
        var common = new CommonOptions();
        var command = new Command("render", "Render a folder, or an app at its target revision, as Ferry would (tool detected like Argo CD) and print the manifests.") { path, output };
        common.AddTo(command, output: false);
        command.SetAction((parseResult, cancellationToken) =>
        {
            var target = parseResult.GetValue(path) ?? ".";
            var format = parseResult.GetValue(output) ?? "yaml";
            var (stdout, stderr) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            return FolderRender.IsFolder(target)
                ? FolderRender.RunAsync(target, format, stdout, stderr, cancellationToken)
                : RenderAppAsync(parseResult, common, target, format, stdout, stderr, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Renders an app of the catalog (<c>--apps</c>, or the demo in <c>--state</c>) at its target revision: every source resolved and
    /// fetched, rendered as a sync would. Kept apart so rendering a folder loads none of the function app.
    /// </summary>
    private static async Task<int> RenderAppAsync(ParseResult parse, CommonOptions common, string name, string format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var verb = common.VerbSettings(parse);
            await using var runtime = await Ferry.Functions.Composition.FerryRuntime.CreateAsync(verb.Settings, cancellationToken);
            var catalog = await runtime.Catalogs.GetAsync(cancellationToken);
            if (catalog.FindApplication(name) is not { } app)
            {
                await error.WriteLineAsync($"error: {name}: no such directory, and app '{name}' is not in the catalog {verb.Settings.Apps}");
                return ExitCodes.CouldNotRun;
            }

            var sources = app.AllSources;
            if (sources.Any(s => s.ChartLocation is not null))
            {
                await error.WriteLineAsync($"error: app '{name}' takes a chart from a chart repository or registry (chart:), which `ferry render <app>` does not pull; `ferry diff {name}` renders it");
                return ExitCodes.CouldNotRun;
            }

            var checkouts = new List<Ferry.Core.Git.GitCheckout>();
            try
            {
                foreach (var source in sources)
                {
                    var revision = await runtime.Git.ResolveAsync(source.RepoUrl, source.TargetRevision, cancellationToken);
                    checkouts.Add(await runtime.Git.CheckoutAsync(source.RepoUrl, revision, cancellationToken));
                }

                var refRoots = sources.Select((s, i) => (s.Ref, checkouts[i].Path)).Where(r => r.Ref is not null).ToDictionary(r => r.Ref!, r => r.Path, StringComparer.Ordinal);
                var objects = new List<JsonNode>();
                for (var i = 0; i < sources.Count; i++)
                {
                    if (sources[i].RendersManifests)
                    {
                        var result = await runtime.Renderer.RenderAsync(app.ToRenderRequest(sources[i], checkouts[i].Path, refRoots), cancellationToken);
                        objects.AddRange(result.Manifests.Select(m => (JsonNode)m.Object.DeepClone()));
                    }
                }

                await output.WriteAsync(FolderRender.Format(objects, format));
                return ExitCodes.Ok;
            }
            finally
            {
                checkouts.ForEach(c => c.Dispose());
            }
        }
        catch (Exception ex) when (ex is RenderException or YamlFormatException)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: {CliConsole.OneLine(ex.Message)}");
            return ExitCodes.CouldNotRun;
        }
    }
}
