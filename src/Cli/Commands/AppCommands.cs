using System.CommandLine;
using System.Text.Json;
using Ferry.Core.Apps;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Core.Status;
using Ferry.Functions.Composition;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>The app verbs: <c>sync</c>, <c>diff</c>, <c>status</c>, <c>history</c>, <c>rollback</c>.</summary>
internal static class AppCommands
{
    /// <summary>Adds the app verbs to the root command.</summary>
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(Sync());
        root.Subcommands.Add(Diff());
        root.Subcommands.Add(StatusVerb());
        root.Subcommands.Add(History());
        root.Subcommands.Add(Rollback());
    }

    private static Command Sync()
    {
        var common = new CommonOptions();
        var app = new Argument<string>("app") { Description = "The Application's name" };
        var prune = new Option<bool>("--prune") { Description = "Delete objects the app applied before and Git no longer has" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Compare and dry-run on the server; change nothing" };
        var command = new Command("sync", "Sync an app now: render its revision, apply what drifted, prune, report health") { app, prune, dryRun };
        common.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, common, parse.GetValue(app), needsCluster: true, async (runtime, _, console) =>
        {
            var request = new ReconcileRequest
            {
                App = parse.GetValue(app)!,
                Mode = ReconcileMode.ForceSync,
                DryRun = parse.GetValue(dryRun),
                Prune = parse.GetValue(prune) ? true : null,
                Reason = "manual",
                WaitForLease = true,
            };
            return await SyncAndReportAsync(runtime, request, common.Json(parse), console, parse, ct);
        }, ct));
        return command;
    }

    private static Command Diff()
    {
        var common = new CommonOptions();
        var app = new Argument<string>("app") { Description = "The Application's name" };
        var command = new Command("diff", "Show how the live cluster differs from Git (Secret values masked); exit 1 when out of sync") { app };
        common.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, common, parse.GetValue(app), needsCluster: true, async (runtime, catalog, console) =>
        {
            var outcome = await runtime.Reconciler.ReconcileAsync(new ReconcileRequest { App = parse.GetValue(app)!, DryRun = true, WaitForLease = true }, ct);
            if (outcome.Status is not { } status)
            {
                return await FailAsync(parse, CliConsole.OneLine(outcome.Summary), ExitCodes.CouldNotRun);
            }

            // A comparison that could not be made is "could not run", as for kubectl diff.
            var failed = outcome.Operation?.Phase == OperationPhase.Error;
            if (common.Json(parse))
            {
                var warnings = catalog.FindApplication(status.Name)?.Warnings.Select(w => w.ToString()).ToArray() ?? [];
                parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(new { app = status.Name, sync = status.SyncStatus.ToString(), diff = status.LastDiff ?? string.Empty, warnings }, StatusJson.Options));
            }
            else if (failed)
            {
                return await FailAsync(parse, CliConsole.OneLine(outcome.Operation!.Message ?? "the comparison failed"), ExitCodes.CouldNotRun);
            }
            else
            {
                parse.InvocationConfiguration.Output.Write(string.IsNullOrEmpty(status.LastDiff) ? $"{status.Name} is in sync with {Short(status.Revision)}\n" : status.LastDiff);
            }

            return failed ? ExitCodes.CouldNotRun : status.SyncStatus == SyncStatusCode.Synced ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    private static Command StatusVerb()
    {
        var common = new CommonOptions();
        var app = new Argument<string?>("app") { Description = "One app (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Show the recorded sync and health status of apps") { app };
        common.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, common, parse.GetValue(app), needsCluster: false, async (runtime, catalog, console) =>
        {
            var name = parse.GetValue(app);
            IReadOnlyList<AppStatus> statuses = name is null
                ? await runtime.Store.ListAsync(ct)
                : (await runtime.Store.GetAsync(name, ct)) is { } one ? [one] : [];
            if (name is not null && statuses.Count == 0)
            {
                if (catalog.FindApplication(name) is null)
                {
                    return await FailAsync(parse, $"app '{name}' is not in the catalog", ExitCodes.CouldNotRun);
                }

                // In the catalog but never compared: Unknown, as Argo CD shows a new Application.
                statuses = [new AppStatus { Name = name }];
            }

            // The catalog's warnings as they are now, not as of the app's last reconcile.
            statuses = [.. statuses.Select(s => WithCurrentWarnings(s, catalog))];

            if (common.Json(parse))
            {
                parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(statuses, StatusJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("APP", "SYNC", "HEALTH", "REVISION", "LAST SYNC", "MESSAGE");
            foreach (var status in statuses)
            {
                // The revision deployed by the last successful sync (a rollback's, say); SYNC compares the live state with the target.
                table.AddRow(Markup.Escape(status.Name), Colour(status.SyncStatus), Colour(status.Health), Short(status.History.Count > 0 ? status.History[^1].Revision : status.Revision),
                    status.Operation?.FinishedAt?.ToString("u") ?? "-", CliConsole.Cell(status.Operation?.Message));
            }

            console.Write(table);
            if (name is not null)
            {
                WriteResources(console, statuses[0].Resources);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command History()
    {
        var common = new CommonOptions();
        var app = new Argument<string>("app") { Description = "The Application's name" };
        var command = new Command("history", "List an app's successful syncs (ids for rollback)") { app };
        common.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, common, parse.GetValue(app), needsCluster: false, async (runtime, catalog, console) =>
        {
            var status = await runtime.Store.GetAsync(parse.GetValue(app)!, ct);
            if (status is null && catalog.FindApplication(parse.GetValue(app)!) is null)
            {
                return await FailAsync(parse, $"app '{parse.GetValue(app)}' is not in the catalog", ExitCodes.CouldNotRun);
            }

            var history = status?.History ?? [];
            if (common.Json(parse))
            {
                parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(history, StatusJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("ID", "REVISION", "DEPLOYED", "REASON", "SOURCE");
            foreach (var entry in history.OrderByDescending(h => h.Id))
            {
                table.AddRow(entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Short(entry.Revision), entry.DeployedAt.ToString("u"), entry.Reason ?? "-", CliConsole.Cell($"{entry.RepoUrl} {entry.Path}"));
            }

            console.Write(table);
            return 0;
        }, ct));
        return command;
    }

    private static Command Rollback()
    {
        var common = new CommonOptions();
        var app = new Argument<string>("app") { Description = "The Application's name" };
        var id = new Argument<long>("history-id") { Description = "The history entry to go back to (see `ferry history`)" };
        var command = new Command("rollback", "Sync an app to the revision of an earlier history entry (refused while automated sync is on)") { app, id };
        common.AddTo(command);
        command.SetAction((parse, ct) => RunAsync(parse, common, parse.GetValue(app), needsCluster: true, async (runtime, catalog, console) =>
        {
            var name = parse.GetValue(app)!;
            var application = catalog.FindApplication(name);
            if (application is null)
            {
                return await FailAsync(parse, $"app '{name}' is not in the catalog", ExitCodes.CouldNotRun);
            }

            if (application.SyncPolicy?.Automated is not null)
            {
                return await FailAsync(parse, $"rollback refused: app '{name}' has automated sync on; it would sync back to Git at once. Turn automated sync off first (as Argo CD requires).", ExitCodes.CouldNotRun);
            }

            var status = await runtime.Store.GetAsync(name, ct);
            var entry = status?.History.FirstOrDefault(h => h.Id == parse.GetValue(id));
            if (entry is null)
            {
                return await FailAsync(parse, $"app '{name}' has no history entry {parse.GetValue(id)} (see `ferry history {name}`)", ExitCodes.CouldNotRun);
            }

            var request = new ReconcileRequest { App = name, Mode = ReconcileMode.ForceSync, Revision = entry.Revision, Reason = "rollback", WaitForLease = true };
            return await SyncAndReportAsync(runtime, request, common.Json(parse), console, parse, ct);
        }, ct));
        return command;
    }

    private static async Task<int> SyncAndReportAsync(FerryRuntime runtime, ReconcileRequest request, bool json, IAnsiConsole console, ParseResult parse, CancellationToken ct)
    {
        ReconcileOutcome outcome;
        try
        {
            outcome = await ProgressDisplay.RunAsync(parse.InvocationConfiguration.Error, request.App,
                progress => runtime.Reconciler.ReconcileAsync(request with { Progress = progress }, ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: the reconciler recorded the operation as terminated; say what the status now reads.
            var recorded = await runtime.Store.GetAsync(request.App, CancellationToken.None);
            return await FailAsync(parse, $"{request.App}: sync cancelled; recorded as {recorded?.Operation?.Phase.ToString() ?? "not started"}: {CliConsole.OneLine(recorded?.Operation?.Message)}", ExitCodes.Failed);
        }

        if (outcome.Status is not { } status)
        {
            return await FailAsync(parse, CliConsole.OneLine(outcome.Summary), ExitCodes.CouldNotRun);
        }

        if (json)
        {
            parse.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(status, StatusJson.Options));
        }
        else
        {
            // A dry run is not recorded (it only compares), so report what this run did rather than the recorded operation.
            var operation = outcome.Operation ?? status.Operation;
            var table = new Table().AddColumns("#", "PHASE", "WAVE", "KIND", "NAMESPACE/NAME", "ACTION", "HEALTH", "MESSAGE");
            var step = 0;
            foreach (var result in operation?.Results ?? [])
            {
                table.AddRow((++step).ToString(System.Globalization.CultureInfo.InvariantCulture), result.HookPhase ?? "Sync", result.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(result.Group.Length == 0 ? result.Kind : $"{result.Kind}.{result.Group}"),
                    Markup.Escape(result.Namespace.Length == 0 ? result.Name : $"{result.Namespace}/{result.Name}"),
                    Colour(result.Action), result.Health is { } h ? Colour(h) : "-", CliConsole.Cell(result.Message));
            }

            if (step > 0)
            {
                console.Write(table);
            }

            var prefix = request.DryRun ? "dry run: " : string.Empty;
            console.MarkupLineInterpolated($"{prefix}{status.Name} @ {Short(status.Revision)}: sync [bold]{status.SyncStatus}[/], health [bold]{status.Health}[/] — {CliConsole.OneLine(operation?.Message)}");
        }

        return (outcome.Operation ?? status.Operation)?.Phase is OperationPhase.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static void WriteResources(IAnsiConsole console, IReadOnlyList<ResourceStatus> resources)
    {
        var table = new Table().AddColumns("KIND", "NAMESPACE/NAME", "SYNC", "HEALTH", "MESSAGE");
        foreach (var r in resources)
        {
            table.AddRow(Markup.Escape(r.Kind), Markup.Escape(r.Namespace.Length == 0 ? r.Name : $"{r.Namespace}/{r.Name}"), Colour(r.Status), r.Health is { } h ? Colour(h) : "-", CliConsole.Cell(r.Message));
        }

        console.Write(table);
    }

    /// <summary>
    /// Runs an app verb: loads the catalog (an invalid one, or clusters file, is bad configuration: exit 2 with every error
    /// named), prints the warnings that concern <paramref name="app"/> (or all of them) on stderr, then runs the body.
    /// </summary>
    private static async Task<int> RunAsync(ParseResult parse, CommonOptions common, string? app, bool needsCluster, Func<FerryRuntime, ApplicationCatalog, IAnsiConsole, Task<int>> body, CancellationToken ct)
    {
        var console = CliConsole.Create(parse.InvocationConfiguration.Output);
        try
        {
            var verb = common.VerbSettings(parse);
            if (needsCluster && verb.ClusterMissing is { } missing)
            {
                return await FailAsync(parse, missing, ExitCodes.CouldNotRun);
            }

            await using var runtime = await FerryRuntime.CreateAsync(verb.Settings, ct);
            var catalog = await runtime.Catalogs.GetAsync(ct);
            var warnings = app is null ? catalog.Warnings : catalog.FindApplication(app)?.Warnings ?? [];
            foreach (var warning in warnings)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"warning: {warning}");
            }

            // A cluster that does not answer is "could not run" (exit 2), said before anything is compared or recorded.
            if (needsCluster && app is not null && catalog.FindApplication(app) is { } application)
            {
                var connection = await runtime.Clusters.ConnectAsync(application.Destination, ct);
                await connection.Client.GetServerVersionAsync(ct);
            }

            return await body(runtime, catalog, console);
        }
        catch (KubeUnreachableException ex)
        {
            return await FailAsync(parse, $"{CliConsole.OneLine(ex.Message)} (the cluster of app '{app}')", ExitCodes.CouldNotRun);
        }
        catch (AppValidationException ex)
        {
            return await FailAsync(parse, $"invalid configuration:{Environment.NewLine}{ex.Message}", ExitCodes.CouldNotRun);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await FailAsync(parse, CliConsole.OneLine(ex.Message), ExitCodes.CouldNotRun);
        }
    }

    private static async Task<int> FailAsync(ParseResult parse, string message, int code)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {message}");
        return code;
    }

    /// <summary>The status with its spec warnings replaced by the catalog's current ones for that app.</summary>
    private static AppStatus WithCurrentWarnings(AppStatus status, ApplicationCatalog catalog)
    {
        var now = TimeProvider.System.GetUtcNow();
        var current = catalog.FindApplication(status.Name)?.Warnings.Select(w => new AppCondition(AppCondition.SpecWarning, w.ToString(), now)) ?? [];
        return status with { Conditions = [.. status.Conditions.Where(c => c.Type != AppCondition.SpecWarning), .. current] };
    }

    internal static string Short(string? revision) => revision is null ? "-" : revision.Length > 7 ? revision[..7] : revision;

    internal static string Colour(SyncStatusCode status) => status switch
    {
        SyncStatusCode.Synced => "[green]Synced[/]",
        SyncStatusCode.OutOfSync => "[yellow]OutOfSync[/]",
        _ => "[grey]Unknown[/]",
    };

    internal static string Colour(Ferry.Core.Health.HealthStatusCode health) => health switch
    {
        Ferry.Core.Health.HealthStatusCode.Healthy => "[green]Healthy[/]",
        Ferry.Core.Health.HealthStatusCode.Progressing => "[blue]Progressing[/]",
        Ferry.Core.Health.HealthStatusCode.Degraded => "[red]Degraded[/]",
        Ferry.Core.Health.HealthStatusCode.Suspended => "[purple]Suspended[/]",
        _ => $"[grey]{health}[/]",
    };

    internal static string Colour(ResourceAction action) => action switch
    {
        ResourceAction.Created => "[green]created[/]",
        ResourceAction.Configured => "[blue]configured[/]",
        ResourceAction.Pruned => "[purple]pruned[/]",
        ResourceAction.Failed => "[red]failed[/]",
        ResourceAction.OutOfSync => "[yellow]out of sync[/]",
        _ => action.ToString().ToLowerInvariant(),
    };
}
