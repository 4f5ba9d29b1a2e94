using Ferry.Cli.Commands;

return await FerryCli.Build().Parse(args).InvokeAsync();
