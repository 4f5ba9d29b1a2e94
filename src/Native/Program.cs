using Ferry.Cli.Commands;
using Ferry.Native;

// A folder's render runs here, natively; every other command line (an app's render, help, usage errors, the other verbs) is the
// managed CLI's.
if (RenderArguments.TryParse(args) is { } render && FolderRender.IsFolder(render.Target))
{
    try
    {
        return await FolderRender.RunAsync(render.Target, render.Format, Console.Out, Console.Error, CancellationToken.None);
    }
    catch (Exception)
    {
        // Nothing is printed before the render completes: a failure the managed CLI would report its own way (an unexpected
        // exception) is left to it, which renders again and answers as it always does.
    }
}

return ManagedCli.Run(args);
