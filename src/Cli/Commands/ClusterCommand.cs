using System.CommandLine;
using Ferry.Core.Kube;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>The <c>ferry cluster</c> verbs: <c>check</c> connects to a cluster and lists what its API serves.</summary>
internal static class ClusterCommand
{
    /// <summary>Exit code when the cluster cannot be reached or answers with an error: the check ran and failed.</summary>
    public const int ExitUnreachable = ExitCodes.Failed;

    /// <summary>Exit code when the kubeconfig is missing or malformed: bad configuration.</summary>
    public const int ExitConfig = ExitCodes.CouldNotRun;

    /// <summary>Exit code when the cluster refuses the credentials (401/403) or they cannot be obtained: bad configuration too.</summary>
    public const int ExitCredentials = ExitCodes.CouldNotRun;

    /// <summary>Builds <c>cluster</c> with its <c>check</c> verb.</summary>
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path of the kubeconfig file (default: KUBECONFIG, then ~/.kube/config)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use (default: current-context)." };
        var check = new Command("check", "Connect to a cluster, print its version and the API resources it serves.") { kubeconfig, context };
        check.SetAction((parse, cancellationToken) =>
            CheckAsync(parse.GetValue(kubeconfig), parse.GetValue(context), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return new Command("cluster", "Inspect Kubernetes clusters.") { check };
    }

    private static async Task<int> CheckAsync(string? kubeconfig, string? context, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        try
        {
            // A check should answer quickly: few retries, short delays.
            var options = new KubeClientOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(100), RequestTimeout = TimeSpan.FromSeconds(15) };
            using var client = await KubeClientFactory.FromKubeConfigAsync(kubeconfig, context, options, cancellationToken);
            (string Version, IReadOnlyList<ApiResource> Resources) found;
            if (terminal)
            {
                found = await console.Status().StartAsync($"Discovering {Markup.Escape(client.Server.ToString())}…", _ => DiscoverAsync(client, cancellationToken));
            }
            else
            {
                found = await DiscoverAsync(client, cancellationToken);
            }

            console.WriteLine($"Server:  {client.Server}");
            console.WriteLine($"Version: {found.Version}");
            var table = new Table().AddColumns("GROUP/VERSION", "KIND", "RESOURCE", "NAMESPACED");
            table.Border = terminal ? TableBorder.Rounded : TableBorder.Simple;
            foreach (var resource in found.Resources
                .OrderBy(r => r.ApiVersion, StringComparer.Ordinal)
                .ThenBy(r => r.Kind, StringComparer.Ordinal)
                .ThenBy(r => r.Name, StringComparer.Ordinal))
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
            await error.WriteLineAsync($"error: the cluster answered with an error: {ex.Message}");
            return ExitUnreachable;
        }
        catch (KubeUnreachableException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitUnreachable;
        }
    }

    private static async Task<(string Version, IReadOnlyList<ApiResource> Resources)> DiscoverAsync(KubeClient client, CancellationToken cancellationToken)
    {
        var version = await client.GetServerVersionAsync(cancellationToken);
        var resources = await client.GetApiResourcesAsync(cancellationToken);
        return (version, resources);
    }
}
