using System.CommandLine;
using Ferry.Cli.Local;
using Ferry.Functions.Composition;

namespace Ferry.Cli.Commands;

/// <summary>The options every app verb shares (<c>--apps</c>, <c>--clusters</c>, <c>--kubeconfig</c>, <c>--state</c>, <c>--output</c>).</summary>
internal sealed class CommonOptions
{
    /// <summary>How often an app verb retries a failed Kubernetes request.</summary>
    public const int VerbKubeRetries = 3;

    /// <summary>The output formats every verb accepts besides its own.</summary>
    public static readonly string[] Formats = ["table", "json"];

    public CommonOptions()
    {
        Output.AcceptOnlyFromAmong(Formats);
    }

    public Option<string> Apps { get; } = new("--apps") { Description = "Application manifests: a file, a directory, or an apps Git repository URL (default: ./apps, or the demo's when --state holds one)", DefaultValueFactory = _ => "apps" };

    public Option<string?> Clusters { get; } = new("--clusters") { Description = "Clusters file (name, server, auth); default: the running demo's cluster, else the current kubeconfig context" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig file (default: KUBECONFIG or ~/.kube/config)" };

    public Option<string> State { get; } = new("--state") { Description = "State directory for status and the Git cache (and the demo `serve --demo` runs)", DefaultValueFactory = _ => ".state" };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => "table" };

    /// <summary>Adds the options to a command (<c>render</c> has its own <c>--output</c>).</summary>
    public void AddTo(Command command, bool output = true)
    {
        command.Options.Add(Apps);
        command.Options.Add(Clusters);
        command.Options.Add(Kubeconfig);
        command.Options.Add(State);
        if (output)
        {
            command.Options.Add(Output);
        }
    }

    /// <summary>The settings the parsed options describe, as written (what <c>serve</c> starts from).</summary>
    public FerrySettings Settings(ParseResult parse) => new()
    {
        Apps = parse.GetValue(Apps)!,
        Clusters = parse.GetValue(Clusters),
        Kubeconfig = parse.GetValue(Kubeconfig),
        ResourceCustomizations = Environment.GetEnvironmentVariable(AppSettingNames.ResourceCustomizations) is { Length: > 0 } file ? file : null,
        State = parse.GetValue(State)!,
    };

    /// <summary>
    /// The settings an app verb runs with: with no <c>--apps</c>, a demo in <c>--state</c> supplies the catalog and the Git URL
    /// mapping, and, with no <c>--clusters</c> or <c>--kubeconfig</c> either, the cluster of the <c>serve --demo</c> running on it.
    /// </summary>
    public VerbSettings VerbSettings(ParseResult parse)
    {
        // A person waits for the answer: an unreachable cluster is said in a second or two, not after client-go's ten retries.
        var settings = Settings(parse) with { KubeMaxRetries = VerbKubeRetries };
        if (parse.GetResult(Apps) is { Implicit: false })
        {
            return settings.AppsIsRepository || File.Exists(settings.Apps) || Directory.Exists(settings.Apps)
                ? new VerbSettings(settings, null)
                : throw new CatalogNotFoundException($"--apps {settings.Apps}: no such file or directory");
        }

        var demo = DemoRepository.Find(settings.State);
        var appsHere = File.Exists(settings.Apps) || Directory.Exists(settings.Apps);
        if (demo is null || (appsHere && !demo.IsServing))
        {
            // While serve --demo runs on this state the demo wins; otherwise ./apps does, and only then a stopped demo's record.
            return appsHere
                ? new VerbSettings(settings, null)
                : throw new CatalogNotFoundException(
                    $"no apps catalog: ./{settings.Apps} does not exist and {settings.State} holds no demo; pass --apps <dir|file|git-url>, or start `ferry serve --demo` in another terminal");
        }

        settings = settings with { Apps = demo.AppsPath, GitConfig = [.. settings.GitConfig, .. demo.GitConfig] };
        if (settings.Clusters is null && settings.Kubeconfig is null && demo.IsServing)
        {
            settings = settings with { Clusters = demo.ClustersPath, Kubeconfig = File.Exists(demo.KubeconfigPath) ? demo.KubeconfigPath : null };
        }

        return new VerbSettings(settings, demo);
    }

    /// <summary>Whether JSON output was asked for.</summary>
    public bool Json(ParseResult parse) => string.Equals(parse.GetValue(Output), "json", StringComparison.Ordinal);
}
