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
            SimulatedClusterConnector? simulated = null;
            DemoRepository? demoRepository = null;
            if (parse.GetValue(demo))
            {
                demoRepository = await DemoRepository.EnsureAsync(settings.State, cancellationToken);
                settings = settings with
                {
                    Apps = demoRepository.AppsPath,
                    WebhookSecret = settings.WebhookSecret ?? demoRepository.Secret,
                    GitConfig = [.. settings.GitConfig, .. demoRepository.GitConfig],
                };
                if (settings.Kubeconfig is null && settings.Clusters is null)
                {
                    simulated = await SimulatedClusterConnector.StartAsync(cancellationToken);
                }
            }

            try
            {
                await using var host = await LocalHost.StartAsync(new LocalHostOptions
                {
                    Settings = settings,
                    Port = parse.GetValue(port),
                    Queue = parse.GetValue(queue)!,
                    DriftInterval = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(drift))),
                    Clusters = simulated,
                    ApiToken = parse.GetValue(apiToken) ?? Environment.GetEnvironmentVariable(LocalHostOptions.ApiTokenVariable),
                }, cancellationToken);

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
                if (simulated is not null)
                {
                    output.WriteLine($"  cluster: simulated cluster (Ferry's in-memory API server at {simulated.Simulator.BaseAddress}); pass --kubeconfig to use a real one");
                }

                if (demoRepository is not null)
                {
                    output.WriteLine($"  demo repository: {demoRepository.RepositoryPath} (served as {DemoRepository.RepoUrl})");
                    output.WriteLine("  push a change and send its signed webhook with:");
                    output.WriteLine($"    dotnet run --project src/Cli -- demo push --state {settings.State} --url {host.BaseAddress}");
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
                return 0;
            }
            finally
            {
                if (simulated is not null)
                {
                    await simulated.DisposeAsync();
                }
            }
        });
        return command;
    }
}
