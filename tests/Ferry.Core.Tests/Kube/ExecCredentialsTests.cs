using System.Text.Json.Nodes;
using Ferry.Core.Kube;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Kube;

/// <summary>Exec credential plugins (KubernetesClient runs them) as real shell scripts the tests write: token, arguments and input, cache until expiry, re-run on 401, failures.</summary>
public sealed class ExecCredentialsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private KubeReplayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeReplayServer.StartAsync();
        _server.Map("GET", "/version", "001-version");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task GetAsync_Plugin_SendsItsTokenWithArgsEnvAndExecInfo(string apiVersion)
    {
        using var client = await ClientAsync(apiVersion, expiry: "2999-01-01T00:00:00Z");

        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal($"Bearer token-{Runs()}", Assert.Single(_server.Requests).Authorization);
        Assert.Equal("--flag value with space|from-env", File.ReadAllText(Path.Combine(_dir.Path, "args")).Trim());
        var info = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, "info")))!;
        Assert.Equal(("ExecCredential", apiVersion, false), ((string?)info["kind"], (string?)info["apiVersion"], (bool?)info["spec"]!["interactive"]));
        Assert.Equal(_server.Url.ToString(), (string?)info["spec"]!["cluster"]!["server"]);
    }

    [Fact]
    public async Task GetAsync_TokenNotExpired_DoesNotRunThePluginAgain()
    {
        using var client = await ClientAsync("client.authentication.k8s.io/v1", expiry: "2999-01-01T00:00:00Z");

        await client.GetServerVersionAsync(CancellationToken.None);
        var runs = Runs();
        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal(runs, Runs());
        Assert.All(_server.Requests, r => Assert.Equal($"Bearer token-{runs}", r.Authorization));
    }

    [Fact]
    public async Task GetAsync_TokenExpired_RunsThePluginAgain()
    {
        using var client = await ClientAsync("client.authentication.k8s.io/v1", expiry: "2000-01-01T00:00:00Z");

        await client.GetServerVersionAsync(CancellationToken.None);
        var runs = Runs();
        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal(runs + 1, Runs());
        Assert.Equal([$"Bearer token-{runs}", $"Bearer token-{runs + 1}"], _server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task SendAsync_Unauthorized_RerunsThePluginOnceAndRetries()
    {
        _server.Map("GET", "/version", "043-unauthorized");
        _server.ThenMap("GET", "/version", "001-version");
        using var client = await ClientAsync("client.authentication.k8s.io/v1", expiry: null);

        Assert.Equal("v1.26.1", await client.GetServerVersionAsync(CancellationToken.None));

        var runs = Runs();
        Assert.Equal([$"Bearer token-{runs - 1}", $"Bearer token-{runs}"], _server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task SendAsync_StillUnauthorizedAfterRerun_ThrowsUnauthorized()
    {
        _server.Map("GET", "/version", "043-unauthorized");
        using var client = await ClientAsync("client.authentication.k8s.io/v1", expiry: null);
        var before = Runs();

        var ex = await Assert.ThrowsAsync<KubeApiException>(() => client.GetServerVersionAsync(CancellationToken.None));

        Assert.True(ex.IsUnauthorized);
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(Runs() <= before + 2, $"the plugin ran {Runs() - before} times for one call");
        Assert.DoesNotContain("token-", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromKubeConfigAsync_PluginFails_ThrowsCredentialExceptionWithoutItsOutput()
    {
        var script = WriteScript("fail.sh", "#!/bin/sh\necho 'secret-ish stderr' >&2\nexit 3\n");

        var ex = await Assert.ThrowsAsync<KubeCredentialException>(() => ClientFromAsync($"exec: {{apiVersion: client.authentication.k8s.io/v1, command: ./{Path.GetFileName(script)}}}"));

        Assert.Contains("the exec credential plugin failed", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-ish", ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task FromKubeConfigAsync_PluginAnswersOtherApiVersion_ThrowsCredentialException()
    {
        WriteScript("old.sh", "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"x\"}}'\n");

        var ex = await Assert.ThrowsAsync<KubeCredentialException>(() => ClientFromAsync("exec: {apiVersion: client.authentication.k8s.io/v1, command: ./old.sh}"));

        Assert.Contains("does not match client.authentication.k8s.io/v1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromKubeConfigAsync_CommandMissing_ThrowsWithInstallHint()
    {
        var ex = await Assert.ThrowsAsync<KubeCredentialException>(() => ClientFromAsync("exec: {apiVersion: client.authentication.k8s.io/v1, command: ferry-no-such-plugin, installHint: install it with apt}"));

        Assert.Contains("install it with apt", ex.Message, StringComparison.Ordinal);
    }

    private async Task<KubeClient> ClientAsync(string apiVersion, string? expiry)
    {
        // Each run bumps a counter file and answers token-<n>; it records its arguments, one env var and KUBERNETES_EXEC_INFO.
        var expiryField = expiry is null ? string.Empty : $",\"expirationTimestamp\":\"{expiry}\"";
        WriteScript("plugin.sh", $$$"""
            #!/bin/sh
            dir=$(dirname "$0")
            n=$(cat "$dir/runs" 2>/dev/null || echo 0)
            n=$((n + 1))
            echo "$n" > "$dir/runs"
            echo "$1 $2|$PLUGIN_ENV" > "$dir/args"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/info"
            echo '{"kind":"ExecCredential","apiVersion":"{{{apiVersion}}}","status":{"token":"token-'"$n"'"{{{expiryField}}}}}'
            """);
        return await ClientFromAsync($$"""
            exec:
                  apiVersion: {{apiVersion}}
                  command: ./plugin.sh
                  args: ["--flag", "value with space"]
                  env: [{name: PLUGIN_ENV, value: from-env}]
                  provideClusterInfo: true
            """);
    }

    private async Task<KubeClient> ClientFromAsync(string userBody)
    {
        var path = _dir.Write("config", $"""
            current-context: x
            clusters:
            - name: c
              cluster:
                server: {_server.Url}
            contexts:
            - name: x
              context: {"{"}cluster: c, user: u{"}"}
            users:
            - name: u
              user:
                {userBody}
            """);
        var config = await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None);
        return await KubeClientFactory.FromKubeConfigAsync(config, null, KubeClientTests.TestOptions(), CancellationToken.None);
    }

    private string WriteScript(string name, string text)
    {
        var path = _dir.Write(name, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("exec plugin tests run shell scripts");
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private int Runs() => int.Parse(File.ReadAllText(Path.Combine(_dir.Path, "runs")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
