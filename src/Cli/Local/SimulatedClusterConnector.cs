using Ferry.Core.Apps;
using Ferry.Core.Jobs;
using Ferry.Core.Kube;
using Ferry.Simulator;

namespace Ferry.Cli.Local;

/// <summary>Every destination resolves to Ferry's in-memory API server, labelled "simulated cluster" everywhere.</summary>
internal sealed class SimulatedClusterConnector : IClusterConnector, IAsyncDisposable
{
    private readonly KubeSimulator _simulator;
    private readonly KubeClient _client;

    private SimulatedClusterConnector(KubeSimulator simulator)
    {
        _simulator = simulator;
        _client = KubeClientFactory.FromToken(simulator.BaseAddress, simulator.Token, simulator.CertificateAuthorityPem);
    }

    /// <summary>The simulator, for tests that inspect or change the "cluster".</summary>
    public KubeSimulator Simulator => _simulator;

    /// <summary>Starts a simulator whose workloads roll out at once, as a healthy cluster's would.</summary>
    public static async Task<SimulatedClusterConnector> StartAsync(CancellationToken cancellationToken)
    {
        var simulator = await KubeSimulator.StartAsync(new KubeSimulatorOptions
        {
            Token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            AutoComplete = true,
            CaptureRequestBodies = false,
        }, cancellationToken);
        return new SimulatedClusterConnector(simulator);
    }

    /// <inheritdoc/>
    public Task<ClusterConnection> ConnectAsync(ApplicationDestination destination, CancellationToken cancellationToken) =>
        Task.FromResult(new ClusterConnection(_client, "simulated cluster"));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _simulator.DisposeAsync();
    }
}
