using System.CommandLine;
using System.Globalization;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry handler</c>: runs the Functions custom handler (the web app the host forwards to) until stopped.</summary>
internal static class HandlerCommand
{
    /// <summary>The environment variable the Functions host sets to the port it expects the handler on.</summary>
    public const string PortVariable = AppSettingNames.CustomHandlerPort;

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state")
        {
            Description = "State directory for app status (file store)",
            DefaultValueFactory = _ => new DirectoryInfo("./.state"),
        };
        var port = new Option<int>("--port")
        {
            Description = $"Port to listen on (default: ${PortVariable}, else 8080)",
            DefaultValueFactory = _ => PortFromEnvironment(),
        };
        var command = new Command("handler", "Run the Azure Functions custom handler (status API, web page, webhook, queue and timer invocations)")
        {
            state,
            port,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stateDirectory = Environment.GetEnvironmentVariable(AppSettingNames.State) ?? parseResult.GetValue(state)!.FullName;
            await using var composition = await AzureComposition.CreateAsync(stateDirectory, [], cancellationToken);
            await using var app = FerryWebApp.Create(composition.WebAppOptions(parseResult.GetValue(port)));
            await app.StartAsync(cancellationToken);
            parseResult.InvocationConfiguration.Output.WriteLine($"ferry handler listening on {FerryWebApp.BaseAddress(app)}; {composition.StorageDescription}");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or the host stopping the process.
            }

            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    private static int PortFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(PortVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 8080;
}
