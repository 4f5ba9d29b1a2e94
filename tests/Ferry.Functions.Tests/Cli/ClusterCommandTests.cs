using System.CommandLine;
using Ferry.Core.Tests.TestSupport;
using Ferry.Cli.Commands;

namespace Ferry.Functions.Tests.Cli;

/// <summary><c>ferry cluster check</c> run in-process against a replay of recorded kube-apiserver answers.</summary>
public sealed class ClusterCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private KubeReplayServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeReplayServer.StartAsync();
        _server.MapDiscovery();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Check_ReachableCluster_PrintsVersionAndSortedResourceTable()
    {
        var (code, output, error) = await RunAsync("cluster", "check", "--kubeconfig", Config(_server.Url, "replay"), "--context", "replay");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("Version: v1.26.1", output, StringComparison.Ordinal);
        Assert.Contains($"Server:  {_server.Url}", output, StringComparison.Ordinal);
        var deployments = Row(output, "deployments");
        Assert.Equal(["apps/v1", "Deployment", "deployments", "true"], deployments);
        Assert.Equal(["v1", "Namespace", "namespaces", "false"], Row(output, "namespaces"));
        var groupVersions = output.Split('\n').Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length == 4 && c[3] is "true" or "false").Select(c => c[0]).ToArray();
        Assert.Equal(groupVersions.Order(StringComparer.Ordinal), groupVersions);
        Assert.All(_server.Requests, r => Assert.Equal("Bearer cli-token", r.Authorization));
    }

    [Fact]
    public async Task Check_CredentialsRefused_ExitsWithCredentialsCodeAndNoStackTrace()
    {
        _server.Map("GET", "/version", "043-unauthorized");

        var (code, output, error) = await RunAsync("cluster", "check", "--kubeconfig", Config(_server.Url, "replay"));

        Assert.Equal(ClusterCommand.ExitCredentials, code);
        Assert.Contains("refused the credentials (401 Unauthorized)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-token", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Unreachable_ExitsNonZeroNamingTheServer()
    {
        using var closed = new RefusingPort();
        var port = closed.Port;

        var (code, _, error) = await RunAsync("cluster", "check", "--kubeconfig", Config(new Uri($"http://127.0.0.1:{port}"), "replay"));

        Assert.Equal(ClusterCommand.ExitUnreachable, code);
        Assert.Contains($"cannot reach the Kubernetes API server http://127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MalformedConfig_ExitsWithConfigCodeNamingFileAndField()
    {
        var path = _dir.Write("bad-config", "clusters:\n- name: c\n  cluster:\n    server: [not, a, string]\n");

        var (code, _, error) = await RunAsync("cluster", "check", "--kubeconfig", path);

        Assert.Equal(ClusterCommand.ExitConfig, code);
        Assert.Contains($"{path}: clusters[0].cluster.server: must be a string", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExecPluginFails_ExitsWithCredentialsCodeWithoutItsOutput()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var plugin = _dir.Write("plugin.sh", "#!/bin/sh\necho 'plugin-secret' >&2\nexit 1\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = _dir.Write("exec-config", $"current-context: x\nclusters:\n- name: c\n  cluster: {{server: \"{_server.Url}\"}}\nusers:\n- name: u\n  user:\n    exec: {{apiVersion: client.authentication.k8s.io/v1, command: ./plugin.sh}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\n");

        var (code, output, error) = await RunAsync("cluster", "check", "--kubeconfig", path);

        Assert.Equal(ClusterCommand.ExitCredentials, code);
        Assert.Contains("error: credentials:", error, StringComparison.Ordinal);
        Assert.DoesNotContain("plugin-secret", error + output, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Check_UnknownContext_ExitsWithConfigCode()
    {
        var (code, _, error) = await RunAsync("cluster", "check", "--kubeconfig", Config(_server.Url, "replay"), "--context", "nope");

        Assert.Equal(ClusterCommand.ExitConfig, code);
        Assert.Contains("no context named \"nope\"", error, StringComparison.Ordinal);
    }

    private string Config(Uri server, string context) => _dir.Write($"config-{Guid.NewGuid():N}", $"""
        apiVersion: v1
        kind: Config
        current-context: {context}
        clusters:
        - name: c
          cluster:
            server: {server}
        contexts:
        - name: {context}
          context: {"{"}cluster: c, user: u{"}"}
        users:
        - name: u
          user: {"{"}token: cli-token{"}"}
        """);

    private static string[] Row(string output, string resource) =>
        output.Split('\n').Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(c => c.Length == 4 && c[2] == resource);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await FerryCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
