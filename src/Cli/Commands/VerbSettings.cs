using Ferry.Cli.Local;
using Ferry.Functions.Composition;

namespace Ferry.Cli.Commands;

/// <summary>What an app verb runs with: its settings, and the demo they came from when <c>--state</c> holds one.</summary>
internal sealed record VerbSettings(FerrySettings Settings, DemoRepository? Demo)
{
    /// <summary>Why the verb cannot reach a cluster, or null: the demo's cluster lives in <c>serve --demo</c>, so it is there only while serve runs.</summary>
    public string? ClusterMissing =>
        Demo is { IsServing: false } && Settings.Clusters is null && Settings.Kubeconfig is null
            ? $"the demo's cluster is not running: start `ferry serve --demo --state {Settings.State}` in another terminal (it serves the cluster), or pass --kubeconfig"
            : null;
}
