using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Kube;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>The <c>ferry cluster</c> verbs: <c>check</c> connects to a cluster and lists what its API serves.</summary>
internal static class ClusterCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Exit code when the cluster cannot be reached or answers with an error: the check ran and failed.</summary>
    public const int ExitUnreachable = ExitCodes.Failed;

    /// <summary>Exit code when the kubeconfig is missing or malformed: bad configuration.</summary>
    public const int ExitConfig = ExitCodes.CouldNotRun;

    /// <summary>Exit code when the cluster refuses the credentials (401/403) or they cannot be obtained: bad configuration too.</summary>
    public const int ExitCredentials = ExitCodes.CouldNotRun;

    /// <summary>Builds <c>cluster</c> with its <c>check</c> verb.</summary>
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path of the kubeconfig file (default: the running demo's under --state, else KUBECONFIG, then ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use (default: current-context)." };
        var state = new Option<string>("--state") { Description = "State directory of a running `ferry serve --demo`, whose cluster is checked when no --kubeconfig is given", DefaultValueFactory = _ => ".state" };
        var output = new Option<string>("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong(CommonOptions.Formats);
        var check = new Command("check", "Connect to a cluster, print its version and the API resources it serves.") { kubeconfig, context, state, output };
        check.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetValue(kubeconfig);
            if (path is null && parse.GetValue(context) is null && Local.DemoRepository.Find(parse.GetValue(state)!) is { IsServing: true } demo && File.Exists(demo.KubeconfigPath))
            {
                path = demo.KubeconfigPath;
            }

            return CheckAsync(path, parse.GetValue(context), parse.GetValue(output) == "json", parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return new Command("cluster", "Inspect Kubernetes clusters.") { check };
    }

    private static async Task<int> CheckAsync(string? kubeconfig, string? context, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var terminal = CliConsole.IsTerminal(output);
        var console = CliConsole.Create(output);
        try
        {
            // A check should answer quickly: few retries, short delays.
            var options = new KubeClientOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(100), RequestTimeout = TimeSpan.FromSeconds(15) };
            using var client = await KubeClientFactory.FromKubeConfigAsync(kubeconfig, context, options, cancellationToken);
            (string Version, IReadOnlyList<ApiResource> Resources) found;
            if (terminal && !json)
            {
                found = await console.Status().StartAsync($"Discovering {Markup.Escape(client.Server.ToString())}…", _ => DiscoverAsync(client, cancellationToken));
            }
            else
            {
                found = await DiscoverAsync(client, cancellationToken);
            }

            if (json)
            {
                var document = new JsonObject
                {
                    ["server"] = client.Server.ToString(),
                    ["version"] = found.Version,
                    ["resources"] = new JsonArray([.. Sorted(found.Resources).Select(r => (JsonNode)new JsonObject
                    {
                        ["groupVersion"] = r.ApiVersion,
                        ["kind"] = r.Kind,
                        ["name"] = r.Name,
                        ["namespaced"] = r.Namespaced,
                    })]),
                };
                await output.WriteLineAsync(document.ToJsonString(Indented));
                return ExitCodes.Ok;
            }

            console.WriteLine($"Server:  {client.Server}");
            console.WriteLine($"Version: {found.Version}");
            var table = new Table().AddColumns("GROUP/VERSION", "KIND", "RESOURCE", "NAMESPACED");
            table.Border = terminal ? TableBorder.Rounded : TableBorder.Simple;
            foreach (var resource in Sorted(found.Resources))
            {
                table.AddRow(Markup.Escape(resource.ApiVersion), Markup.Escape(resource.Kind), Markup.Escape(resource.Name), resource.Namespaced ? "true" : "false");
            }

            console.Write(table);
            var groups = found.Resources.Select(r => r.ApiVersion).Distinct(StringComparer.Ordinal).Count();
            console.WriteLine($"{found.Resources.Count} resources in {groups} group-versions.");
            return 0;
        }
        catch (KubeConfigException ex)
        {
            await error.WriteLineAsync($"error: kubeconfig: {ex.Message}");
            return ExitConfig;
        }
        catch (KubeCredentialException ex)
        {
            await error.WriteLineAsync($"error: credentials: {ex.Message}");
            return ExitCredentials;
        }
        catch (KubeApiException ex) when (ex.IsUnauthorized || ex.IsForbidden)
        {
            await error.WriteLineAsync($"error: the cluster refused the credentials ({ex.StatusCode} {ex.Reason}): {ex.StatusMessage}");
            return ExitCredentials;
        }
        catch (KubeApiException ex)
        {
            await error.WriteLineAsync($"error: the cluster answered with an error: {CliConsole.OneLine(ex.Message)}");
            return ExitUnreachable;
        }
        catch (KubeUnreachableException ex)
        {
            await error.WriteLineAsync($"error: {CliConsole.OneLine(ex.Message)}");
            return ExitUnreachable;
        }
    }

    private static IEnumerable<ApiResource> Sorted(IEnumerable<ApiResource> resources) => resources
        .OrderBy(r => r.ApiVersion, StringComparer.Ordinal)
        .ThenBy(r => r.Kind, StringComparer.Ordinal)
        .ThenBy(r => r.Name, StringComparer.Ordinal);

    private static async Task<(string Version, IReadOnlyList<ApiResource> Resources)> DiscoverAsync(KubeClient client, CancellationToken cancellationToken)
    {
        var version = await client.GetServerVersionAsync(cancellationToken);
        var resources = await client.GetApiResourcesAsync(cancellationToken);
        return (version, resources);
    }
}
