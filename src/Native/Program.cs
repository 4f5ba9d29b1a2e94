using Ferry.Cli.Commands;
using Ferry.Native;

// `render` runs here, natively; any other command line (and `ferry` alone, `--help`, `--version`) is the managed CLI's.
if (args is ["render", ..])
{
    return await CommandLineRunner.InvokeAsync(RenderCommand.CreateRoot(), args, configuration: null, CancellationToken.None);
}

return ManagedCli.Run(args);
