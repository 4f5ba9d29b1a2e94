using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Microsoft.Extensions.Hosting;

// The Functions host starts this worker with its app settings as environment variables and connects over gRPC.
var settings = FerryFunctionApp.EnvironmentSettings();
DriftSchedule.Require(name => settings.TryGetValue(name, out var value) ? value : null);
await using var composition = await FerryComposition.FromSettingsAsync(settings, CancellationToken.None);
using var host = FerryFunctionApp.Build(args, composition, settings);
await host.RunAsync();
