using System.CommandLine;
using Ferry.Functions.Composition;

namespace Ferry.Cli.Commands;

/// <summary>The options every app verb shares (<c>--apps</c>, <c>--clusters</c>, <c>--kubeconfig</c>, <c>--state</c>, <c>--output</c>).</summary>
internal sealed class CommonOptions
{
    public Option<string> Apps { get; } = new("--apps") { Description = "Application manifests: a file, a directory, or an apps Git repository URL", DefaultValueFactory = _ => "apps" };

    public Option<string?> Clusters { get; } = new("--clusters") { Description = "Clusters file (name, server, auth); default: the current kubeconfig context" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "Kubeconfig file (default: KUBECONFIG or ~/.kube/config)" };

    public Option<string> State { get; } = new("--state") { Description = "State directory for status and the Git cache", DefaultValueFactory = _ => ".state" };

    public Option<string> Output { get; } = new("--output", "-o") { Description = "table or json", DefaultValueFactory = _ => "table" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Apps);
        command.Options.Add(Clusters);
        command.Options.Add(Kubeconfig);
        command.Options.Add(State);
        command.Options.Add(Output);
    }

    /// <summary>The settings the parsed options describe.</summary>
    public FerrySettings Settings(ParseResult parse) => new()
    {
        Apps = parse.GetValue(Apps)!,
        Clusters = parse.GetValue(Clusters),
        Kubeconfig = parse.GetValue(Kubeconfig),
        ResourceCustomizations = Environment.GetEnvironmentVariable(AppSettingNames.ResourceCustomizations) is { Length: > 0 } file ? file : null,
        State = parse.GetValue(State)!,
    };

    /// <summary>Whether JSON output was asked for.</summary>
    public bool Json(ParseResult parse) => string.Equals(parse.GetValue(Output), "json", StringComparison.OrdinalIgnoreCase);
}
