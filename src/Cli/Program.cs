using Ferry.Cli.Commands;

return await FerryCli.BuildForArgs(args).Parse(args).InvokeAsync();
