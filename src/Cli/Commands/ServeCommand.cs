using System.CommandLine;
using Ferry.Cli.Local;
using Ferry.Core.Jobs;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry serve</c>: the main job on one machine — webhook, queue, workers, drift timer, status page.</summary>
internal static class ServeCommand
{
    /// <summary>How long Ctrl-C waits for the jobs in hand before cancelling them.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var common = new CommonOptions();
        var port = new Option<int>("--port") { Description = "HTTP port for the webhook, status API and page", DefaultValueFactory = _ => 7071 };
        var queue = new Option<string>("--queue") { Description = "memory (in-process, the default) or an Azure Storage connection string", DefaultValueFactory = _ => "memory" };
        var drift = new Option<int>("--drift-seconds") { Description = "Drift check interval in seconds (the Functions timer runs every 180)", DefaultValueFactory = _ => 180 };
        var demo = new Option<bool>("--demo") { Description = "Create the example Git repository and target a simulated cluster (or --kubeconfig's cluster)" };
        var secret = new Option<string?>("--webhook-secret") { Description = "GitHub webhook secret (default: FERRY_GITHUB_WEBHOOK_SECRET; the demo makes one)" };
        var apiToken = new Option<string?>("--api-token") { Description = "Bearer token the page and API need for actions (sync, refresh, rollback); default FERRY_API_TOKEN; without one, actions are refused" };
        var command = new Command("serve", "Run Ferry locally as the Functions host would: webhook → queue → sync workers, drift timer, status page") { port, queue, drift, demo, secret, apiToken };
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var settings = common.Settings(parse) with
            {
                WebhookSecret = parse.GetValue(secret) ?? Environment.GetEnvironmentVariable("FERRY_GITHUB_WEBHOOK_SECRET"),
            };
            DemoRepository? demoRepository = null;
            DemoCluster? demoCluster = null;
            if (parse.GetValue(demo))
            {
                demoRepository = await DemoRepository.EnsureAsync(settings.State, cancellationToken);
                if (demoRepository.IsServing)
                {
                    // Its cluster files are in use: a second demo on the same state would replace them, then delete them on exit.
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"error: a `ferry serve --demo` already runs on {settings.State} (process {demoRepository.ServerProcessId}); stop it, or use another --state");
                    return ExitCodes.CouldNotRun;
                }

                settings = settings with
                {
                    Apps = demoRepository.AppsPath,
                    WebhookSecret = settings.WebhookSecret ?? demoRepository.Secret,
                    GitConfig = [.. settings.GitConfig, .. demoRepository.GitConfig],
                };

                // The demo's cluster goes into the state as a clusters file and kubeconfig, so every other verb with the same --state reaches it.
                if (settings.Clusters is null)
                {
                    demoCluster = settings.Kubeconfig is { } real
                        ? await DemoCluster.UseKubeconfigAsync(demoRepository, real, cancellationToken)
                        : await DemoCluster.StartSimulatedAsync(demoRepository, cancellationToken);
                    settings = settings with { Clusters = demoRepository.ClustersPath, Kubeconfig = settings.Kubeconfig ?? demoRepository.KubeconfigPath };
                }
            }

            try
            {
                LocalHost host;
                try
                {
                    host = await LocalHost.StartAsync(new LocalHostOptions
                    {
                        Settings = settings,
                        Port = parse.GetValue(port),
                        Queue = parse.GetValue(queue)!,
                        DriftInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(drift))),
                        ApiToken = parse.GetValue(apiToken) ?? Environment.GetEnvironmentVariable(LocalHostOptions.ApiTokenVariable),
                    }, cancellationToken);
                }
                catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"error: port {parse.GetValue(port)} on 127.0.0.1 is already in use (another `ferry serve`?); stop it or choose another with --port");
                    return ExitCodes.CouldNotRun;
                }

                await using var running = host;

                // An invalid catalog stops every sync: say so first, each error naming the file with its folder (the page shows it too).
                var catalog = await CatalogReport.ReadAsync(host.Catalogs, cancellationToken);
                var errors = parse.InvocationConfiguration.Error;
                if (!catalog.IsValid)
                {
                    errors.WriteLine($"ferry serve: the apps catalog {settings.Apps} is invalid; no app is synced until it is fixed:");
                }

                foreach (var problem in catalog.Errors)
                {
                    errors.WriteLine($"  error: {problem}");
                }

                foreach (var warning in catalog.Warnings)
                {
                    errors.WriteLine($"  warning: {warning}");
                }

                output.WriteLine($"ferry serve: listening on {host.BaseAddress} (status page {host.BaseAddress}, webhook {host.BaseAddress}api/github)");
                output.WriteLine($"  apps: {settings.Apps}   state: {Path.GetFullPath(settings.State)}   queue: {parse.GetValue(queue)}   drift check every {parse.GetValue(drift)} s");
                if (demoCluster?.Simulator is { } simulator)
                {
                    output.WriteLine($"  cluster: {DemoCluster.SimulatedName} (Ferry's in-memory API server at {simulator.BaseAddress}, kubeconfig {demoRepository!.KubeconfigPath}); pass --kubeconfig to use a real one");
                }

                if (demoRepository is not null)
                {
                    output.WriteLine($"  demo repository: {demoRepository.RepositoryPath} (served as {DemoRepository.RepoUrl})");
                    output.WriteLine("  try, in another terminal from the same folder (the verbs find the demo through --state):");
                    foreach (var line in DemoCommands(settings.State, host.BaseAddress))
                    {
                        output.WriteLine($"    {line}");
                    }
                }

                output.WriteLine("Press Ctrl-C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    output.WriteLine("stopping: finishing the job in hand…");
                }

                await host.StopAsync(StopGrace);
                return ExitCodes.Ok;
            }
            finally
            {
                if (demoCluster is not null)
                {
                    await demoCluster.DisposeAsync();
                }
            }
        });
        return command;
    }

    /// <summary>The commands <c>serve --demo</c> suggests, each acting on the running demo.</summary>
    internal static IReadOnlyList<string> DemoCommands(string state, Uri baseAddress)
    {
        const string Ferry = "dotnet run --project src/Cli --";
        var stateOption = Path.GetFullPath(state) == Path.GetFullPath(".state") ? string.Empty : $" --state {state}";
        return
        [
            $"{Ferry} status{stateOption}",
            $"{Ferry} demo push --state {state} --url {baseAddress}",
            $"{Ferry} diff guestbook{stateOption}",
            $"{Ferry} history guestbook{stateOption}",
            $"{Ferry} cluster check{stateOption}",
        ];
    }
}
