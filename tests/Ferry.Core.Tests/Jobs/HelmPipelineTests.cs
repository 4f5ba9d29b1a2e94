using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Jobs;

/// <summary>A Helm app through the whole pipeline with the real helm: the chart sees the destination cluster's version and APIs, as under Argo CD.</summary>
public sealed class HelmPipelineTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Chart = new(StringComparer.Ordinal)
    {
        ["chart/Chart.yaml"] = "apiVersion: v2\nname: probe\nversion: 0.1.0\n",
        ["chart/templates/capabilities.yaml"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-capabilities
            data:
              kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
              deployments: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" | quote }}
              serviceMonitors: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor" | quote }}
            """,
    };

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync(Chart);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ReconcileAsync_HelmApp_ChartSeesTheSimulatedClustersVersionAndApis()
    {
        _ = InstalledHelm.Path;
        _h.WriteApplication("probe", path: "chart");

        var outcome = await _h.ReconcileAsync("probe", ReconcileMode.ForceSync);

        Assert.True(outcome.Synced, outcome.Summary);
        Assert.Equal(SyncStatusCode.Synced, (await _h.StatusAsync("probe")).SyncStatus);
        var data = _h.Server.GetObject("v1", "ConfigMap", "demo", "probe-capabilities")!["data"]!;
        Assert.Equal("v1.26.1", (string?)data["kubeVersion"]);
        Assert.Equal("true", (string?)data["deployments"]);
        Assert.Equal("false", (string?)data["serviceMonitors"]);
    }
}
