using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands;
using Ferry.Cli.Local;
using Ferry.Core.Status;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Cli;

/// <summary>Issue 14: tables that survive pipes and CI logs, <c>-o json</c> everywhere and nothing else, one-line errors with the right exit code.</summary>
public sealed class CliOutputTests : IDisposable
{
    private const string GitError = "git: fetch of https://github.com/acme/a-repository-with-a-rather-long-name-for-a-table at main failed:\n"
        + "  remote: Repository not found.\n  fatal: repository 'https://github.com/acme/a-repository-with-a-rather-long-name-for-a-table/' not found\n";

    private readonly TempDirectory _dir = new();

    private string State => Path.Combine(_dir.Path, "state");

    private string Apps => Path.Combine(_dir.Path, "apps");

    [Fact]
    public async Task Status_OutputRedirected_FullWidthRowsWithMultiLineMessagesOnOneLine()
    {
        const string App = "payments-api-with-a-name-longer-than-most-terminal-columns-allow";
        _dir.Write($"apps/{App}.yaml", $"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: {App}}}\nspec:\n  source: {{repoURL: https://github.com/acme/x, path: web}}\n  destination: {{server: https://kubernetes.default.svc}}\n");
        await new FileStatusStore(State).SaveAsync(new AppStatus
        {
            Name = App,
            Operation = new OperationState { Phase = OperationPhase.Error, Message = GitError, StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch },
        }, CancellationToken.None);

        var (code, output, error) = await RunAsync("status", "--apps", Apps, "--state", State);

        Assert.True(code == 0, error);
        var row = Assert.Single(output.Split('\n'), l => l.Contains(App, StringComparison.Ordinal));
        Assert.Contains("failed: remote: Repository not found. fatal: repository 'https://github.com/acme/a-repository-with-a-rather-long-name-for-a-table/' not found", row, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), l => l.Contains("remote:", StringComparison.Ordinal));
    }

    [Fact]
    public void Console_OutputRedirected_ColumnsHonouredElseNoWidthLimit()
    {
        var narrow = CliConsole.Create(new StringWriter(), name => name == "COLUMNS" ? "100" : null);
        var unset = CliConsole.Create(new StringWriter(), _ => null);

        Assert.Equal(100, narrow.Profile.Width);
        Assert.Equal(CliConsole.UnboundedWidth, unset.Profile.Width);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("diff", "shop")]
    [InlineData("sync", "shop")]
    [InlineData("history", "shop")]
    [InlineData("rollback", "shop", "1")]
    [InlineData("cluster", "check")]
    [InlineData("demo", "push")]
    public async Task Verb_OutputFormatNotTableOrJson_UsageErrorNamingTheAllowedValues(params string[] args)
    {
        var (code, output, error) = await RunAsync([.. args, "-o", "xml"]);

        Assert.True(code == 2, $"exit {code}\n{output}{error}");
        Assert.Contains("'xml'", error, StringComparison.Ordinal);
        Assert.Contains("'table'", error, StringComparison.Ordinal);
        Assert.Contains("'json'", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task ClusterCheck_Json_ServerVersionAndSortedResources()
    {
        await using var cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "json-token" });
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        cluster.WriteKubeconfig(kubeconfig);

        var (code, output, error) = await RunAsync("cluster", "check", "--kubeconfig", kubeconfig, "-o", "json");

        Assert.True(code == 0, error);
        var document = JsonNode.Parse(output)!;
        Assert.Equal(cluster.BaseAddress.GetLeftPart(UriPartial.Authority), ((string?)document["server"])?.TrimEnd('/'));
        Assert.False(string.IsNullOrEmpty((string?)document["version"]));
        var resources = document["resources"]!.AsArray().Select(r => $"{r!["groupVersion"]} {r["kind"]} {r["name"]}").ToList();
        Assert.Contains("apps/v1 Deployment deployments", resources);
        Assert.Equal(resources.Order(StringComparer.Ordinal), resources);
    }

    [Fact]
    public async Task Serve_PortInUse_OneLineOnStderrExitTwo()
    {
        using var busy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        busy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        busy.Listen();
        var port = ((IPEndPoint)busy.LocalEndPoint!).Port;
        Directory.CreateDirectory(Apps);

        var (code, output, error) = await RunProcessAsync(["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--apps", Apps, "--state", State]);

        Assert.True(code == 2, $"exit {code}\n{output}{error}");
        Assert.Equal($"error: port {port} on 127.0.0.1 is already in use (another `ferry serve`?); stop it or choose another with --port", error.TrimEnd());
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPush_NoServerAnswers_NothingCommittedOneLineExitTwo()
    {
        var demo = await DemoRepository.EnsureAsync(State, CancellationToken.None);
        var head = await demo.HeadAsync(CancellationToken.None);
        using var closed = new RefusingPort();

        var (code, output, error) = await RunAsync("demo", "push", "--state", State, "--url", $"http://127.0.0.1:{closed.Port}/");

        Assert.True(code == 2, $"exit {code}\n{output}{error}");
        Assert.Equal(head, await demo.HeadAsync(CancellationToken.None));
        Assert.Empty(output);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"error: no ferry serve answers at http://127.0.0.1:{closed.Port}/", line, StringComparison.Ordinal);
        Assert.EndsWith("nothing was committed", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("diff")]
    [InlineData("rollback", "0")]
    public async Task AppVerb_ClusterUnreachable_OneLineExitTwoNothingRecorded(string verb, params string[] more)
    {
        using var gone = new RefusingPort();
        var kubeconfig = _dir.Write("kubeconfig", $"apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n- name: c\n  cluster: {{server: \"https://127.0.0.1:{gone.Port}\"}}\nusers:\n- name: u\n  user: {{token: t}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\n");
        _dir.Write("apps/shop.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop}\nspec:\n  source: {repoURL: https://github.com/acme/x, path: web}\n  destination: {server: https://kubernetes.default.svc, namespace: shop}\n");

        var (code, output, error) = await RunAsync([verb, "shop", .. more, "--apps", Apps, "--kubeconfig", kubeconfig, "--state", State]);

        Assert.True(code == 2, $"exit {code}\n{output}{error}");
        Assert.Equal($"error: cannot reach the Kubernetes API server https://127.0.0.1:{gone.Port}: Connection refused (the cluster of app 'shop')", error.TrimEnd());
        Assert.Null(await new FileStatusStore(State).GetAsync("shop", CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await FerryCli.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>ferry</c> as a real process (its console logging included) and waits for it to exit.</summary>
    internal static async Task<(int Code, string Output, string Error)> RunProcessAsync(IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? string.Empty };
        start.ArgumentList.Add(typeof(FerryCli).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }
}
