using System.CommandLine;
using Ferry.Cli.Commands;

// On Ctrl-C, serve finishes the job in hand (within its grace period); the default termination timeout (2 s) would cut it short with 130.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = ServeCommand.StopGrace + TimeSpan.FromSeconds(5) };
return await FerryCli.BuildForArgs(args).Parse(args).InvokeAsync(configuration);
