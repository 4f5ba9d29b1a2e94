using Ferry.Functions.Cli;

return await FerryCli.Build().Parse(args).InvokeAsync();
