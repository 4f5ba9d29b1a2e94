using Ferry.Simulator;

namespace Ferry.Core.Tests.Simulator;

public sealed partial class KubeSimulatorTests
{
    [Fact]
    public async Task StartAsync_PlainHttpWithAutoComplete_RollsOutOnApply()
    {
        await using var plain = await KubeSimulator.StartAsync(new KubeSimulatorOptions { UseHttps = false, AutoComplete = true, CaptureRequestBodies = false });
        using var http = new HttpClient { BaseAddress = plain.BaseAddress };
        using var body = new StringContent(RecordedExchange.Request("019-ssa-create-deployment").Replace("namespace: fixtures", "namespace: default", StringComparison.Ordinal));
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/apply-patch+yaml");

        using var response = await http.PatchAsync("apis/apps/v1/namespaces/default/deployments/web?fieldManager=ferry", body);

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("http", plain.BaseAddress.Scheme);
        Assert.Null(plain.CertificateAuthorityPem);
        var live = plain.GetObject("apps/v1", "Deployment", "default", "web")!;
        Assert.Equal(2, (int)live["status"]!["availableReplicas"]!);
        Assert.Null(plain.Requests.Snapshot().Single().Body);
        Assert.Equal(1, plain.Requests.MutatingCount);
    }
}
