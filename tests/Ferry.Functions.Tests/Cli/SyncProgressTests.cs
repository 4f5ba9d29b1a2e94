using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Ferry.Cli.Commands;
using Ferry.Core.Status;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Cli;

/// <summary>
/// Issue 14: <c>ferry sync</c> says what it is doing while it runs (plain lines on stderr when that is not a terminal), and
/// Ctrl-C records the operation as terminated instead of leaving it Running. The cluster never rolls the Deployment out, so the
/// sync waits on its wave (before wave 1's ConfigMap) until it is cancelled.
/// </summary>
public sealed class SyncProgressTests : IAsyncLifetime
{
    private const string Waiting = "waiting for 1/1 object(s) of Sync wave 0";

    private readonly TempDirectory _dir = new();
    private KubeSimulator _cluster = null!;
    private TestGitRepository _repo = null!;
    private string _clusters = null!;

    private string State => Path.Combine(_dir.Path, "state");

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "progress-token", AutoComplete = false });
        _repo = TestGitRepository.Create(new Dictionary<string, string>
        {
            ["web/after.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-web\n  annotations: {argocd.argoproj.io/sync-wave: \"1\"}\ndata: {k: v}\n",
            ["web/deployment.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n",
        });
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        _cluster.WriteKubeconfig(kubeconfig);
        _clusters = _dir.Write("clusters.yaml", $"clusters:\n- name: sim\n  server: {_cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}\n  auth: {{kubeconfig: {{path: {kubeconfig}}}}}\n");
        _dir.Write("apps/web.yaml", $"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: web}}\nspec:\n  source: {{repoURL: \"{_repo.Url}\", targetRevision: main, path: web}}\n  destination: {{name: sim, namespace: web}}\n  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Sync_CancelledWhileWaitingOnAWave_ShowsProgressAndRecordsTheOperationTerminated()
    {
        using var ctrlC = new CancellationTokenSource();
        var error = new CancellingWriter(Waiting, ctrlC);
        var output = new StringWriter();

        var code = await FerryCli.InvokeAsync(Args("sync", "web"), new InvocationConfiguration { Output = output, Error = error }, ctrlC.Token);
        var status = await new FileStatusStore(State).GetAsync("web", CancellationToken.None);

        Assert.True(code == 1, $"exit {code}\n{output}{error.Text}");
        var lines = error.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("web: resolving main of ", StringComparison.Ordinal));
        Assert.Contains("web: Sync wave 0: applying", lines);
        Assert.Contains(lines, l => l.StartsWith($"web: {Waiting} to become healthy: Deployment.apps/web/web", StringComparison.Ordinal));
        Assert.DoesNotContain("\u001b", error.Text, StringComparison.Ordinal);
        Assert.Equal(OperationPhase.Failed, status?.Operation?.Phase);
        Assert.StartsWith($"Operation terminated while {Waiting}", status!.Operation!.Message, StringComparison.Ordinal);
        Assert.NotNull(status.Operation.FinishedAt);
        Assert.StartsWith("error: web: sync cancelled; recorded as Failed: Operation terminated", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_SigIntToTheProcess_RecordsTheOperationTerminated()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(FerryCli).Assembly.Location);
        foreach (var arg in Args("sync", "web"))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (e.Data?.Contains(Waiting, StringComparison.Ordinal) == true)
            {
                waiting.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Task.WhenAny(waiting.Task, process.WaitForExitAsync(limit.Token));
        Assert.True(waiting.Task.IsCompleted, $"the sync never waited on its wave:\n{stderr}");

        Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        await process.WaitForExitAsync(limit.Token);
        var status = await new FileStatusStore(State).GetAsync("web", CancellationToken.None);

        Assert.True(process.ExitCode != 0, $"exit {process.ExitCode}\n{await stdout}{stderr}");
        Assert.Equal(OperationPhase.Failed, status?.Operation?.Phase);
        Assert.StartsWith("Operation terminated", status!.Operation!.Message, StringComparison.Ordinal);
    }

    private string[] Args(params string[] verb) => [.. verb, "--apps", Path.Combine(_dir.Path, "apps"), "--clusters", _clusters, "--state", State];

    /// <summary>Stderr that presses Ctrl-C (cancels the token) the moment the sync reports it waits on the wave.</summary>
    private sealed class CancellingWriter(string trigger, CancellationTokenSource ctrlC) : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_text)
            {
                _text.Append(value).Append('\n');
            }

            if (value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                ctrlC.Cancel();
            }
        }
    }
}
