using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Cli.Commands;

namespace Ferry.Functions.Tests.Cli;

public sealed class RenderCommandTests : IDisposable
{
    private readonly string repo = Directory.CreateTempSubdirectory("ferry-render-").FullName;

    public RenderCommandTests()
    {
        var git = Process.Start(new ProcessStartInfo("git", ["init", "--quiet", repo]) { RedirectStandardError = true })!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        Write("apps/web/b-service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n");
        Write("apps/web/a-deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app: web\n");
        Write("apps/web/values.yaml", "replicas: 2\n");
    }

    public void Dispose() => Directory.Delete(repo, recursive: true);

    private void Write(string relative, string content)
    {
        var full = Path.Combine(repo, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await FerryCli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Render_Folder_PrintsMultiDocumentYamlInFileOrder()
    {
        var (exit, output, error) = await RunAsync("render", Path.Combine(repo, "apps", "web"));

        Assert.Equal(string.Empty, error);
        Assert.Equal(0, exit);
        Assert.Equal(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
            output);
    }

    [Fact]
    public async Task Render_JsonOutput_PrintsAnArray()
    {
        var (exit, output, _) = await RunAsync("render", Path.Combine(repo, "apps", "web"), "--output", "json");

        Assert.Equal(0, exit);
        var array = Assert.IsType<JsonArray>(JsonNode.Parse(output));
        Assert.Equal(["Deployment", "Service"], array.Select(o => (string?)o!["kind"]));
    }

    [Fact]
    public async Task Render_BrokenFile_ExitOneWithFileLineRelativeToRepositoryRoot()
    {
        Write("apps/web/c-broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n  labels: {}\n");

        var (exit, output, error) = await RunAsync("render", Path.Combine(repo, "apps", "web"));

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Matches(@"^apps/web/c-broken\.yaml:\d+: ", error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MissingFolder_ExitTwo()
    {
        var (exit, _, error) = await RunAsync("render", Path.Combine(repo, "nope"));

        Assert.Equal(2, exit);
        Assert.Contains("no such directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_UnknownOutputFormat_Rejected()
    {
        var (exit, _, error) = await RunAsync("render", repo, "--output", "xml");

        Assert.NotEqual(0, exit);
        Assert.Contains("xml", error, StringComparison.Ordinal);
    }
}
