using Ferry.Simulator;

namespace Ferry.Cli.Local;

/// <summary>
/// The demo's cluster as every other <c>ferry</c> process reaches it: a kubeconfig and a clusters file under the demo folder
/// naming the simulated API server that <c>serve --demo</c> runs (or the real cluster it was given), removed when serve stops.
/// </summary>
internal sealed class DemoCluster : IAsyncDisposable
{
    /// <summary>The name the simulated cluster goes by on the page, in the status and in the metrics.</summary>
    public const string SimulatedName = "simulated cluster";

    private readonly DemoRepository _demo;

    private DemoCluster(DemoRepository demo, KubeSimulator? simulator)
    {
        _demo = demo;
        Simulator = simulator;
    }

    /// <summary>The simulator, when the demo runs one.</summary>
    public KubeSimulator? Simulator { get; }

    /// <summary>Starts Ferry's in-memory API server on 127.0.0.1 (workloads roll out at once) and writes its kubeconfig and clusters file.</summary>
    public static async Task<DemoCluster> StartSimulatedAsync(DemoRepository demo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var simulator = await KubeSimulator.StartAsync(new KubeSimulatorOptions
        {
            Token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            AutoComplete = true,
            // The page's resource tree shows Deployments' ReplicaSets and Pods, as on a real cluster.
            RunControllers = true,
            CaptureRequestBodies = false,
            LogRequests = false,
        }, cancellationToken);
        var cluster = new DemoCluster(demo, simulator);
        try
        {
            simulator.WriteKubeconfig(demo.KubeconfigPath);
            if (!OperatingSystem.IsWindows())
            {
                // The file carries the simulator's token.
                File.SetUnixFileMode(demo.KubeconfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await WriteClustersAsync(demo, SimulatedName, demo.KubeconfigPath, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Records a real cluster (a kubeconfig's current context) as the demo's, so the other verbs target it too.</summary>
    public static async Task<DemoCluster> UseKubeconfigAsync(DemoRepository demo, string kubeconfig, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demo);
        await WriteClustersAsync(demo, "in-cluster", Path.GetFullPath(kubeconfig), cancellationToken);
        return new DemoCluster(demo, null);
    }

    // In-cluster destinations (what the demo app names) resolve to this entry; its kubeconfig says where the API server is.
    private static async Task WriteClustersAsync(DemoRepository demo, string name, string kubeconfig, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(demo.ServePidPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await File.WriteAllTextAsync(demo.ClustersPath,
            $"# Written by `ferry serve --demo` while it runs; removed when it stops.\nclusters:\n- name: {name}\n  server: https://kubernetes.default.svc\n  auth: {{kubeconfig: {{path: \"{kubeconfig}\"}}}}\n",
            cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        File.Delete(_demo.ClustersPath);
        File.Delete(_demo.ServePidPath);
        if (Simulator is not null)
        {
            File.Delete(_demo.KubeconfigPath);
            await Simulator.DisposeAsync();
        }
    }
}
