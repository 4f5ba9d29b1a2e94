using System.Runtime.Versioning;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Render.Helm;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Render.Helm;

[UnsupportedOSPlatform("windows")]
public sealed class HelmRendererTests : IDisposable
{
    private readonly string bin = System.IO.Directory.CreateTempSubdirectory("ferry-helm-").FullName;

    public void Dispose() => System.IO.Directory.Delete(bin, recursive: true);

    private string ArgvFile => Path.Combine(bin, "argv.txt");

    private string ValuesCopy => Path.Combine(bin, "inline-values.txt");

    private static string Root => TestDataFolder.Path("repo");

    /// <summary>Puts a fake helm first on the search path: it records its arguments (and the inline values file) and prints canned output.</summary>
    private HelmRenderer FakeHelm(string? script = null)
    {
        var output = TestDataFolder.Path("helm-template-output.yaml");
        script ??= $"""
            #!/bin/sh
            : > '{ArgvFile}'
            for a in "$@"; do printf '%s\n' "$a" >> '{ArgvFile}'; done
            case "$*" in *ferry-helm-values-*) for a in "$@"; do case "$a" in *ferry-helm-values-*) cat "$a" > '{ValuesCopy}';; esac; done;; esac
            cat '{output}'
            """;
        var helm = Path.Combine(bin, "helm");
        File.WriteAllText(helm, script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(helm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new HelmRenderer(new ProcessRunner(), new HelmRendererOptions { SearchPath = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") });
    }

    private static RenderRequest Request(HelmOptions? helm = null) => new()
    {
        RootDirectory = Root,
        Path = "charts/guestbook",
        AppName = "guestbook",
        Namespace = "web",
        Helm = helm,
    };

    [Fact]
    public async Task RenderAsync_AllOptions_InvokesHelmTemplateWithArgoArguments()
    {
        var renderer = FakeHelm();
        var options = new HelmOptions
        {
            ReleaseName = "gb",
            ValueFiles = ["values-prod.yaml"],
            Values = "replicaCount: 5\nsecretish: value-in-a-file\n",
            Parameters = [new HelmParameter("image.tag", "v2"), new HelmParameter("service.port", "80", ForceString: true)],
        };

        await renderer.RenderAsync(Request(options), CancellationToken.None);

        var chart = Path.Combine(Root, "charts", "guestbook");
        var argv = File.ReadAllLines(ArgvFile);
        Assert.Equal(["template", "gb", chart, "--namespace", "web", "--include-crds", "-f", Path.Combine(chart, "values-prod.yaml"), "-f"], argv[..9]);
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "ferry-helm-values-"), argv[9], StringComparison.Ordinal);
        Assert.Equal(["--set", "image.tag=v2", "--set-string", "service.port=80"], argv[10..]);
        Assert.DoesNotContain(argv, a => a.Contains("value-in-a-file", StringComparison.Ordinal));
        Assert.Equal(options.Values, File.ReadAllText(ValuesCopy));
        Assert.False(File.Exists(argv[9]), "the inline values file is removed after the run");
    }

    [Fact]
    public async Task RenderAsync_NoOptions_ReleaseIsAppName()
    {
        var renderer = FakeHelm();

        await renderer.RenderAsync(Request() with { Namespace = null }, CancellationToken.None);

        Assert.Equal(["template", "guestbook", Path.Combine(Root, "charts", "guestbook"), "--include-crds"], File.ReadAllLines(ArgvFile));
    }

    [Fact]
    public async Task RenderAsync_Output_ManifestsWithTemplateSources()
    {
        var result = await FakeHelm().RenderAsync(Request(), CancellationToken.None);

        Assert.Equal("Helm", result.Tool);
        Assert.Equal(
            [
                "charts/guestbook/crds/widgets.yaml CustomResourceDefinition.apiextensions.k8s.io/widgets.example.com",
                "charts/guestbook/templates/service.yaml Service/gb-guestbook",
                "charts/guestbook/templates/deployment.yaml Deployment.apps/gb-guestbook",
                "charts/guestbook/templates/hooks/migrate.yaml Job.batch/gb-migrate",
                "charts/guestbook/templates/hooks/notify.yaml Job.batch/gb-notify",
                "charts/guestbook/templates/tests/test-connection.yaml Pod/gb-test",
            ],
            result.Manifests.Select(m => $"{m.Source} {m.Key}"));
    }

    [Fact]
    public async Task RenderAsync_HelmHooks_MappedToArgoAnnotations()
    {
        var result = await FakeHelm().RenderAsync(Request(), CancellationToken.None);
        var byName = result.Manifests.Where(m => m.Key.Kind != "Service").ToDictionary(m => m.Key.Name);

        var migrate = byName["gb-migrate"];
        Assert.Equal("PreSync", migrate.Annotation("argocd.argoproj.io/hook"));
        Assert.Equal("BeforeHookCreation,HookSucceeded", migrate.Annotation("argocd.argoproj.io/hook-delete-policy"));
        Assert.Equal("-5", migrate.Annotation("argocd.argoproj.io/sync-wave"));
        Assert.Equal("Sync", byName["gb-notify"].Annotation("argocd.argoproj.io/hook"));
        Assert.Equal("Skip", byName["gb-test"].Annotation("argocd.argoproj.io/hook"));
        Assert.Null(byName["gb-guestbook"].Annotation("argocd.argoproj.io/hook"));
    }

    [Fact]
    public async Task RenderAsync_HelmMissing_ClearErrorNamingTheChart()
    {
        var renderer = new HelmRenderer(new ProcessRunner(), new HelmRendererOptions { SearchPath = bin });

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request(), CancellationToken.None));

        Assert.Equal("charts/guestbook", ex.Path);
        Assert.Contains("helm is not installed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_HelmFails_ErrorCarriesHelmsMessage()
    {
        var renderer = FakeHelm("#!/bin/sh\necho 'Error: template: guestbook/templates/deployment.yaml:7:20: nil pointer' >&2\nexit 1");

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request(), CancellationToken.None));

        Assert.Equal("charts/guestbook", ex.Path);
        Assert.Contains("helm template failed (exited with code 1): Error: template: guestbook/templates/deployment.yaml:7:20: nil pointer", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "values-missing.yaml", "the value file does not exist")]
    [InlineData("outside root", "../../../helm-template-output.yaml", "the value file is outside the repository root")]
    public async Task RenderAsync_BadValueFile_Refused(string name, string valueFile, string reason)
    {
        var ex = await Assert.ThrowsAsync<RenderException>(() => FakeHelm().RenderAsync(Request(new HelmOptions { ValueFiles = [valueFile] }), CancellationToken.None));

        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public async Task RenderAsync_RefValueFile_IsReadFromTheRefSourcesCheckout()
    {
        using var values = new TempDirectory();
        System.IO.Directory.CreateDirectory(Path.Combine(values.Path, "web"));
        File.WriteAllText(Path.Combine(values.Path, "web", "prod.yaml"), "replicaCount: 3\n");
        var request = Request(new HelmOptions { ValueFiles = ["values-prod.yaml", "$values/web/prod.yaml"] }) with
        {
            RefRoots = new Dictionary<string, string> { ["values"] = values.Path },
        };

        await FakeHelm().RenderAsync(request, CancellationToken.None);

        var argv = File.ReadAllLines(ArgvFile);
        Assert.Equal(["-f", Path.Combine(Root, "charts", "guestbook", "values-prod.yaml"), "-f", Path.Combine(Ferry.Core.Render.Directory.SourcePath.RealPath(values.Path), "web", "prod.yaml")], argv[6..10]);
    }

    [Theory]
    [InlineData("$config/prod.yaml", "helm.valueFiles names ref 'config', which no source of spec.sources declares")]
    [InlineData("$values/missing.yaml", "the value file does not exist in the checkout of ref 'values'")]
    [InlineData("$values/../escape.yaml", "the value file is outside the checkout of ref 'values'")]
    public async Task RenderAsync_BadRefValueFile_RefusedNamingTheRef(string valueFile, string reason)
    {
        using var values = new TempDirectory();
        var request = Request(new HelmOptions { ValueFiles = [valueFile] }) with { RefRoots = new Dictionary<string, string> { ["values"] = values.Path } };

        var ex = await Assert.ThrowsAsync<RenderException>(() => FakeHelm().RenderAsync(request, CancellationToken.None));

        Assert.Equal(valueFile, ex.Path);
        Assert.Equal(reason, ex.Reason);
    }
}
