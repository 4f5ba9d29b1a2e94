using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands;
using Ferry.Functions.Tests.Cli;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Local;

/// <summary>
/// Issue 14: every verb run with the same <c>--state</c> as a running <c>ferry serve --demo</c> acts on the demo — its catalog, its
/// repository's GitHub URL and its simulated cluster, reached through the kubeconfig serve writes into the state.
/// </summary>
public sealed class DemoVerbsTests : IDisposable
{
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _dir = new();

    // The default state's name, so a verb run in the folder without --state finds the demo as it would from the repository root.
    private string State => Path.Combine(_dir.Path, ".state");

    [Fact]
    public async Task Verbs_SameStateAsARunningServeDemo_ActOnTheDemo()
    {
        var output = new ListeningWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var serve = FerryCli.InvokeAsync(["serve", "--demo", "--port", "0", "--state", State, "--drift-seconds", "3600"], new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        var address = await output.ListeningAsync(serve);
        try
        {
            var push = await RunAsync("demo", "push", "--state", State, "--url", address.ToString(), "-o", "json");
            // The forced sync waits for serve's own syncs of the demo (the per-app lease), then syncs the pushed commit again.
            var sync = await RunAsync("sync", "guestbook", "--state", State);
            var diff = await RunAsync("diff", "guestbook", "--state", State);
            var status = await RunAsync("status", "guestbook", "--state", State, "-o", "json");
            var history = await RunAsync("history", "guestbook", "--state", State, "-o", "json");
            var render = await RunAsync("render", "guestbook", "--state", State);
            var check = await RunAsync("cluster", "check", "--state", State, "-o", "json");
            var fromTheFolder = await CliOutputTests.RunProcessAsync(["diff", "guestbook"], workingDirectory: _dir.Path);
            using var http = new HttpClient();
            var metrics = await http.GetStringAsync(new Uri(address, "metrics"));

            Assert.True(push.Code == 0, push.Error);
            var pushed = JsonNode.Parse(push.Output)!;
            Assert.Equal(await Ferry.Cli.Local.DemoRepository.Find(State)!.HeadAsync(CancellationToken.None), (string?)pushed["commit"]);
            Assert.Equal(202, (int?)pushed["webhook"]!["status"]);
            Assert.True(sync.Code == 0, sync.Error);
            Assert.Contains($" @ {((string)pushed["commit"]!)[..7]}: sync Synced", sync.Output, StringComparison.Ordinal);
            Assert.Contains("guestbook: comparing", sync.Error, StringComparison.Ordinal);
            Assert.True(diff.Code == 0, diff.Error);
            Assert.True(fromTheFolder.Code == 0, fromTheFolder.Output + fromTheFolder.Error);
            Assert.Contains("guestbook is in sync with", fromTheFolder.Output, StringComparison.Ordinal);
            Assert.Contains("guestbook is in sync with", diff.Output, StringComparison.Ordinal);
            var recorded = JsonNode.Parse(status.Output)![0]!;
            Assert.Equal(("Synced", "Healthy", "simulated cluster"), ((string?)recorded["syncStatus"], (string?)recorded["health"], (string?)recorded["cluster"]));
            Assert.NotEmpty(JsonNode.Parse(history.Output)!.AsArray());
            Assert.True(render.Code == 0, render.Error);
            Assert.Contains("kind: Deployment", render.Output, StringComparison.Ordinal);
            Assert.True(check.Code == 0, check.Error);
            Assert.Contains(JsonNode.Parse(check.Output)!["resources"]!.AsArray(), r => (string?)r!["name"] == "configmaps");
            Assert.Contains("ferry_kube_request_total{server=", metrics, StringComparison.Ordinal);
            Assert.Contains($"diff guestbook --state {State}", output.Text, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            await serve;
        }

        var stopped = await RunAsync("diff", "guestbook", "--state", State);
        var record = await RunAsync("status", "--state", State);

        Assert.False(File.Exists(Path.Combine(State, "demo", "clusters.yaml")));
        Assert.Equal(2, stopped.Code);
        Assert.Equal($"error: the demo's cluster is not running: start `ferry serve --demo --state {State}` in another terminal (it serves the cluster), or pass --kubeconfig",
            stopped.Error.TrimEnd());
        Assert.True(record.Code == 0, record.Error);
        Assert.Contains("guestbook", record.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_DemoServerKilledBeforeCleaningUp_SaysTheClusterIsNotRunning()
    {
        var demo = await Ferry.Cli.Local.DemoRepository.EnsureAsync(State, CancellationToken.None);
        using var gone = new Ferry.Core.Tests.TestSupport.RefusingPort();
        File.WriteAllText(demo.ClustersPath, $"clusters:\n- name: simulated cluster\n  server: https://127.0.0.1:{gone.Port}\n  auth: {{kubeconfig: {{path: {demo.KubeconfigPath}}}}}\n");
        using (var exited = System.Diagnostics.Process.Start("true")!)
        {
            await exited.WaitForExitAsync();
            File.WriteAllText(demo.ServePidPath, exited.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var (code, _, error) = await RunAsync("diff", "guestbook", "--state", State);

        Assert.Equal(2, code);
        Assert.Equal($"error: the demo's cluster is not running: start `ferry serve --demo --state {State}` in another terminal (it serves the cluster), or pass --kubeconfig", error.TrimEnd());
    }

    [Fact]
    public async Task ServeDemo_AnotherAlreadyRunsOnTheState_OneLineExitTwoAndItsClusterFilesKept()
    {
        var demo = await Ferry.Cli.Local.DemoRepository.EnsureAsync(State, CancellationToken.None);
        const string Clusters = "clusters: []\n";
        File.WriteAllText(demo.ClustersPath, Clusters);
        File.WriteAllText(demo.ServePidPath, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var (code, output, error) = await RunAsync("serve", "--demo", "--port", "0", "--state", State);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"error: a `ferry serve --demo` already runs on {State} (process {Environment.ProcessId}); stop it, or use another --state", error.TrimEnd());
        Assert.Equal(Clusters, File.ReadAllText(demo.ClustersPath));
    }

    [Fact]
    public async Task Diff_NoAppsFolderAndNoDemo_OneLineExitTwo()
    {
        var (code, output, error) = await RunAsync("diff", "guestbook", "--state", State);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Equal($"error: no apps catalog: ./apps does not exist and {State} holds no demo; pass --apps <dir|file|git-url>, or start `ferry serve --demo` in another terminal", error.TrimEnd());
    }

    [Fact]
    public async Task Diff_AppsPathThatDoesNotExist_OneLineExitTwo()
    {
        var missing = Path.Combine(_dir.Path, "no-apps-here");

        var (code, _, error) = await RunAsync("diff", "guestbook", "--apps", missing, "--state", State);

        Assert.Equal(2, code);
        Assert.Equal($"error: --apps {missing}: no such file or directory", error.TrimEnd());
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await FerryCli.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
