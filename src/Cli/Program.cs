using Ferry.Cli.Commands;

return await FerryCli.InvokeAsync(args);
