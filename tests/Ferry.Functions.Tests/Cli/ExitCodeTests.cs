using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator;

namespace Ferry.Functions.Tests.Cli;

/// <summary>
/// Every verb's exit code: 0 ok, 1 drift or a failed operation, 2 could not run (usage error, bad configuration, unknown
/// app), so a CI gate never reads a typo as drift. Real Git repository, simulated cluster, apps folder, in-process CLI.
/// </summary>
public sealed class ExitCodeTests : IAsyncLifetime
{
    private const string Manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: production}
        """;

    private readonly TempDirectory _dir = new();
    private KubeSimulator _cluster = null!;
    private TestGitRepository _repo = null!;
    private string _clusters = null!;

    private string Apps => Path.Combine(_dir.Path, "apps");

    private string State => Path.Combine(_dir.Path, "state");

    public async Task InitializeAsync()
    {
        _cluster = await KubeSimulator.StartAsync(new KubeSimulatorOptions { Token = "exit-token", AutoComplete = true });
        _repo = TestGitRepository.Create(new Dictionary<string, string> { ["shop/cm.yaml"] = Manifests });
        var kubeconfig = Path.Combine(_dir.Path, "kubeconfig");
        _cluster.WriteKubeconfig(kubeconfig);
        _clusters = _dir.Write("clusters.yaml", $"clusters:\n- name: sim\n  server: {_cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}\n  auth: {{kubeconfig: {{path: {kubeconfig}, context: ferry-simulator}}}}\n");
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _repo.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("no verb")]
    [InlineData("unknown verb", "deploy", "shop")]
    [InlineData("missing argument", "sync")]
    [InlineData("unknown option", "diff", "shop", "--colour")]
    [InlineData("bad option value", "render", ".", "--output", "xml")]
    [InlineData("not a number", "rollback", "shop", "latest")]
    [InlineData("missing sub-verb", "cluster")]
    [InlineData("serve port not a number", "serve", "--port", "http")]
    public async Task Invoke_UsageError_ExitsTwo(string row, params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.True(code == 2, $"{row}: exit {code}\n{error}");
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("sync")]
    [InlineData("diff")]
    [InlineData("status")]
    [InlineData("history")]
    [InlineData("rollback", "0")]
    public async Task AppVerb_UnknownApp_ExitsTwoNamingIt(string verb, params string[] more)
    {
        WriteApp("shop");

        var (code, _, error) = await RunAppVerbAsync([verb, "nope", .. more]);

        Assert.True(code == 2, $"{verb}: exit {code}\n{error}");
        Assert.Contains("'nope'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sync", "shop")]
    [InlineData("diff", "shop")]
    [InlineData("status")]
    [InlineData("history", "shop")]
    [InlineData("rollback", "shop", "0")]
    public async Task AppVerb_InvalidApplicationInTheCatalog_ExitsTwoNamingFileWithFolderLineAndField(params string[] args)
    {
        WriteApp("shop");
        _dir.Write("apps/team/broken.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: broken}\nspec:\n  source: {repoURL: x}\n");

        var (code, output, error) = await RunAppVerbAsync(args);

        Assert.True(code == 2, $"exit {code}\n{output}{error}");
        Assert.Contains($"{Apps}/team/broken.yaml:4: spec.destination: is required", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppVerb_BadClustersFile_ExitsTwo()
    {
        WriteApp("shop");
        _clusters = _dir.Write("clusters.yaml", "clusters:\n- name: sim\n  server: [not, a, url]\n");

        var (code, _, error) = await RunAppVerbAsync(["sync", "shop"]);

        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.Contains("clusters.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAndDiff_OkDriftAndFailure_ExitZeroOneAndOne()
    {
        WriteApp("shop");

        Assert.Equal(1, (await RunAppVerbAsync(["diff", "shop"])).Code);        // nothing applied yet: drift
        Assert.Equal(0, (await RunAppVerbAsync(["sync", "shop", "--dry-run"])).Code);
        Assert.Equal(0, (await RunAppVerbAsync(["sync", "shop"])).Code);
        Assert.Equal(0, (await RunAppVerbAsync(["diff", "shop"])).Code);        // in sync
        Assert.Equal(0, (await RunAppVerbAsync(["status", "shop"])).Code);
        Assert.Equal(0, (await RunAppVerbAsync(["history", "shop"])).Code);
        Assert.Equal(0, (await RunAppVerbAsync(["rollback", "shop", "0"])).Code);

        _cluster.UpdateObject("v1", "ConfigMap", "shop", "settings", cm => cm["data"]!["mode"] = "debug");
        Assert.Equal(1, (await RunAppVerbAsync(["diff", "shop"])).Code);        // live edit: drift

        WriteApp("shop", path: "missing");
        var (failed, output, error) = await RunAppVerbAsync(["sync", "shop"]);
        Assert.True(failed == 1, $"a sync that fails exits 1, got {failed}\n{output}{error}");
    }

    [Fact]
    public async Task Render_MissingFolderIsTwo_BrokenManifestIsOne()
    {
        Assert.Equal(2, (await RunAsync("render", Path.Combine(_dir.Path, "no-such-folder"))).Code);

        _dir.Write("broken/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [name\n");
        var (code, _, error) = await RunAsync("render", Path.Combine(_dir.Path, "broken"));

        Assert.Equal(1, code);
        Assert.Contains("cm.yaml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoPush_NoDemoRepository_ExitsTwo()
    {
        var (code, _, error) = await RunAsync("demo", "push", "--state", Path.Combine(_dir.Path, "empty-state"), "--url", "http://127.0.0.1:1/");

        Assert.True(code == 2, $"exit {code}\n{error}");
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BadQueueConnectionString_ExitsTwo()
    {
        WriteApp("shop");

        var (code, _, error) = await RunAppVerbAsync(["serve", "--port", "0", "--queue", "AccountName=x;NotAKey=1"]);

        Assert.True(code == 2, $"exit {code}\n{error}");
    }

    [Fact]
    public async Task AppVerbs_UnknownFields_WarnOnStderrAndInJson()
    {
        WriteApp("shop", extra: "    pth: shop\n");
        var warning = $"{Apps}/shop.yaml:8: spec.source.pth: unknown field (did you mean 'path'?); kept but not used by Ferry";

        var sync = await RunAppVerbAsync(["sync", "shop", "-o", "json"]);
        var diff = await RunAppVerbAsync(["diff", "shop", "-o", "json"]);
        var status = await RunAppVerbAsync(["status", "-o", "json"]);

        Assert.Equal(0, sync.Code);
        Assert.Contains($"warning: {warning}", sync.Error, StringComparison.Ordinal);
        Assert.Contains(JsonNode.Parse(sync.Output)!["conditions"]!.AsArray(), c => (string?)c!["type"] == "SpecWarning" && (string?)c["message"] == warning);
        Assert.Equal([warning], JsonNode.Parse(diff.Output)!["warnings"]!.AsArray().Select(w => (string?)w));
        Assert.Contains($"warning: {warning}", diff.Error, StringComparison.Ordinal);
        Assert.Contains(JsonNode.Parse(status.Output)![0]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "SpecWarning" && (string?)c["message"] == warning);

        // The typo fixed: the status no longer shows it, even before the next sync.
        WriteApp("shop");
        var fixedStatus = await RunAppVerbAsync(["status", "-o", "json"]);
        Assert.DoesNotContain(JsonNode.Parse(fixedStatus.Output)![0]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "SpecWarning");
        Assert.DoesNotContain("warning:", fixedStatus.Error, StringComparison.Ordinal);
    }

    private void WriteApp(string name, string path = "shop", string extra = "") => _dir.Write($"apps/{name}.yaml", $"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {"{"}name: {name}{"}"}
        spec:
          source:
            repoURL: "{_repo.Url}"
            targetRevision: main
        {extra}    path: {path}
          destination: {"{"}name: sim, namespace: shop{"}"}
          syncPolicy:
            syncOptions: [CreateNamespace=true]
        """);

    private Task<(int Code, string Output, string Error)> RunAppVerbAsync(string[] args) =>
        RunAsync([.. args, "--apps", Apps, "--clusters", _clusters, "--state", State]);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await FerryCli.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
