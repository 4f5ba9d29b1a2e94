using System.Security.Cryptography.X509Certificates;
using Ferry.Core.Kube;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Kube;

/// <summary>TLS against a real HTTPS listener with a generated CA: trust only the given CA, HTTP/2 via ALPN, client certificates (RSA and EC).</summary>
public sealed class KubeTlsTests : IAsyncLifetime
{
    private X509Certificate2 _authority = null!;
    private KubeReplayServer _server = null!;

    public async Task InitializeAsync()
    {
        _authority = TestCertificates.CreateAuthority("ferry-test-ca");
        _server = await KubeReplayServer.StartAsync(TestCertificates.CreateServer(_authority));
        _server.Map("GET", "/version", "001-version");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _authority.Dispose();
    }

    [Fact]
    public async Task GetServerVersionAsync_TrustedCaData_ConnectsOverHttp2()
    {
        using var client = KubeClientFactory.FromToken(_server.Url, "t", _authority.ExportCertificatePem(), options: KubeClientTests.TestOptions());

        Assert.Equal("v1.26.1", await client.GetServerVersionAsync(CancellationToken.None));
        Assert.Equal("HTTP/2", Assert.Single(_server.Requests).Protocol);
    }

    [Fact]
    public async Task GetServerVersionAsync_OtherCa_IsRefused()
    {
        using var other = TestCertificates.CreateAuthority("someone-else");
        using var client = KubeClientFactory.FromToken(_server.Url, "secret-t", other.ExportCertificatePem(), options: KubeClientTests.TestOptions());

        var ex = await Assert.ThrowsAsync<KubeUnreachableException>(() => client.GetServerVersionAsync(CancellationToken.None));

        Assert.Contains("TLS", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-t", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetServerVersionAsync_NoCaGiven_SystemTrustRefusesTheTestCa()
    {
        using var client = KubeClientFactory.FromToken(_server.Url, "t", options: KubeClientTests.TestOptions());

        await Assert.ThrowsAsync<KubeUnreachableException>(() => client.GetServerVersionAsync(CancellationToken.None));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task GetServerVersionAsync_Insecure_Connects()
    {
        using var client = KubeClientFactory.FromToken(_server.Url, "t", insecureSkipTlsVerify: true, options: KubeClientTests.TestOptions());

        Assert.Equal("v1.26.1", await client.GetServerVersionAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("kube.internal", true)]
    public async Task FromKubeConfigAsync_CertificateForAnotherName_ConnectsOnlyWithTlsServerName(string? tlsServerName, bool connects)
    {
        await using var named = await KubeReplayServer.StartAsync(TestCertificates.CreateServer(_authority, "kube.internal"));
        named.Map("GET", "/version", "001-version");
        using var dir = new TempDirectory();
        var serverName = tlsServerName is null ? string.Empty : $", tls-server-name: {tlsServerName}";
        var path = dir.Write("config", $"clusters:\n- name: c\n  cluster: {{server: \"{named.Url}\", certificate-authority-data: {Base64(_authority.ExportCertificatePem())}{serverName}}}\ncontexts:\n- name: x\n  context: {{cluster: c}}\ncurrent-context: x\n");
        using var client = await KubeClientFactory.FromKubeConfigAsync(await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None), null, KubeClientTests.TestOptions(), CancellationToken.None);

        if (connects)
        {
            Assert.Equal("v1.26.1", await client.GetServerVersionAsync(CancellationToken.None));
        }
        else
        {
            // The CA signed it, but for another name: refused, as client-go refuses it.
            await Assert.ThrowsAsync<KubeUnreachableException>(() => client.GetServerVersionAsync(CancellationToken.None));
            Assert.Empty(named.Requests);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FromKubeConfigAsync_ClientCertificateData_PresentsTheCertificate(bool ec)
    {
        var (certPem, keyPem) = TestCertificates.CreateClientPem(ec ? "ec-admin" : "rsa-admin", ec);
        using var dir = new TempDirectory();
        var path = dir.Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster:
                server: {_server.Url}
                certificate-authority-data: {Base64(_authority.ExportCertificatePem())}
            users:
            - name: admin
              user:
                client-certificate-data: {Base64(certPem)}
                client-key-data: {Base64(keyPem)}
            contexts:
            - name: test
              context: {"{"}cluster: test, user: admin{"}"}
            """);
        var config = await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None);
        using var client = await KubeClientFactory.FromKubeConfigAsync(config, null, KubeClientTests.TestOptions(), CancellationToken.None);

        await client.GetServerVersionAsync(CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(ec ? "CN=ec-admin" : "CN=rsa-admin", request.ClientCertificateSubject);
        Assert.Equal(string.Empty, request.Authorization);
    }

    [Fact]
    public async Task FromKubeConfigAsync_ExecPluginClientCertificate_PresentsTheCertificate()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var (certPem, keyPem) = TestCertificates.CreateClientPem("exec-admin", ec: true);
        using var dir = new TempDirectory();
        var credential = new System.Text.Json.Nodes.JsonObject
        {
            ["kind"] = "ExecCredential",
            ["apiVersion"] = "client.authentication.k8s.io/v1",
            ["status"] = new System.Text.Json.Nodes.JsonObject { ["clientCertificateData"] = certPem, ["clientKeyData"] = keyPem },
        };
        dir.Write("credential.json", credential.ToJsonString());
        var script = dir.Write("plugin.sh", "#!/bin/sh\ncat \"$(dirname \"$0\")/credential.json\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = dir.Write("config", $"""
            current-context: test
            clusters:
            - name: test
              cluster: {"{"}server: "{_server.Url}", certificate-authority-data: {Base64(_authority.ExportCertificatePem())}{"}"}
            users:
            - name: admin
              user:
                exec: {"{"}apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh{"}"}
            contexts:
            - name: test
              context: {"{"}cluster: test, user: admin{"}"}
            """);
        using var client = await KubeClientFactory.FromKubeConfigAsync(await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None), null, KubeClientTests.TestOptions(), CancellationToken.None);

        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("CN=exec-admin", Assert.Single(_server.Requests).ClientCertificateSubject);
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}
