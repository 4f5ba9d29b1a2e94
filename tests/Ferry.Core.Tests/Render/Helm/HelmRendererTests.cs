using System.Runtime.Versioning;
using Ferry.Core.Processes;
using Ferry.Core.Render;
using Ferry.Core.Render.Helm;
using Ferry.Core.Resources;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Render.Helm;

/// <summary>The Helm renderer with the real helm Ferry ships (a chart in argocd-example-apps' helm-guestbook shape), plus a recording stand-in where only the invocation matters.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class HelmRendererTests : IDisposable
{
    private readonly string bin = System.IO.Directory.CreateTempSubdirectory("ferry-helm-").FullName;

    public void Dispose() => System.IO.Directory.Delete(bin, recursive: true);

    private static string Root => TestDataFolder.Path("repo");

    private static HelmRenderer RealHelm() => new(new ProcessRunner(), new HelmRendererOptions { Executable = InstalledHelm.Path });

    private static RenderRequest Request(HelmOptions? helm = null) => new()
    {
        RootDirectory = Root,
        Path = "charts/guestbook",
        AppName = "guestbook",
        Namespace = "web",
        Helm = helm,
    };

    private static HelmCapabilities Cluster(string version, params string[] apiVersions) =>
        new() { KubeVersion = version, ApiVersions = ["apps/v1", "apps/v1/Deployment", "v1", "v1/Service", .. apiVersions] };

    private static Manifest One(RenderResult result, string kind, string name) =>
        Assert.Single(result.Manifests, m => m.Key.Kind == kind && m.Key.Name == name);

    [Fact]
    public async Task RenderAsync_Chart_EveryTemplateSubchartAndCrdWithItsSource()
    {
        var result = await RealHelm().RenderAsync(Request(), CancellationToken.None);

        Assert.Equal("Helm", result.Tool);
        Assert.Equal(
            [
                "charts/guestbook/charts/redis/templates/deployment.yaml Deployment.apps/guestbook-redis",
                "charts/guestbook/crds/widgets.yaml CustomResourceDefinition.apiextensions.k8s.io/widgets.example.com",
                "charts/guestbook/templates/deployment.yaml Deployment.apps/web/guestbook-guestbook",
                "charts/guestbook/templates/hooks/migrate.yaml Job.batch/guestbook-migrate",
                "charts/guestbook/templates/hooks/notify.yaml Job.batch/guestbook-notify",
                "charts/guestbook/templates/pdb.yaml PodDisruptionBudget.policy/guestbook-guestbook",
                "charts/guestbook/templates/service.yaml Service/guestbook-guestbook",
                "charts/guestbook/templates/tests/test-connection.yaml Pod/guestbook-test",
            ],
            result.Manifests.Select(m => $"{m.Source} {m.Key}").Order(StringComparer.Ordinal));
        Assert.Equal("web", (string?)One(result, "Deployment", "guestbook-guestbook").Object["metadata"]!["namespace"]);
    }

    [Fact]
    public async Task RenderAsync_ReleaseNameValueFilesValuesAndParameters_AllApplied()
    {
        var options = new HelmOptions
        {
            ReleaseName = "gb",
            ValueFiles = ["values-prod.yaml"],
            Values = "greeting: from inline values\n",
            Parameters = [new HelmParameter("image.tag", "v2"), new HelmParameter("service.port", "8080"), new HelmParameter("redis.enabled", "false")],
        };

        var result = await RealHelm().RenderAsync(Request(options), CancellationToken.None);

        var deployment = One(result, "Deployment", "gb-guestbook").Object;
        Assert.Equal(3L, (long)deployment["spec"]!["replicas"]!);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.example.com/guestbook:v2", (string?)container["image"]);
        Assert.Equal("from inline values", (string?)container["env"]![0]!["value"]);
        var service = One(result, "Service", "gb-guestbook").Object;
        Assert.Equal("LoadBalancer", (string?)service["spec"]!["type"]);
        Assert.Equal(8080L, (long)service["spec"]!["ports"]![0]!["port"]!);
        Assert.DoesNotContain(result.Manifests, m => m.Key.Name == "gb-redis");
    }

    [Fact]
    public async Task RenderAsync_HelmHooks_MappedToArgoPhases()
    {
        var result = await RealHelm().RenderAsync(Request(), CancellationToken.None);

        var migrate = One(result, "Job", "guestbook-migrate");
        Assert.Equal("PreSync", migrate.Annotation("argocd.argoproj.io/hook"));
        Assert.Equal("BeforeHookCreation,HookSucceeded", migrate.Annotation("argocd.argoproj.io/hook-delete-policy"));
        Assert.Equal("-5", migrate.Annotation("argocd.argoproj.io/sync-wave"));
        Assert.Equal("PostSync", One(result, "Job", "guestbook-notify").Annotation("argocd.argoproj.io/hook"));
        Assert.Equal("Skip", One(result, "Pod", "guestbook-test").Annotation("argocd.argoproj.io/hook"));
        Assert.Null(One(result, "Deployment", "guestbook-guestbook").Annotation("argocd.argoproj.io/hook"));
    }

    [Theory]
    [InlineData("old cluster with the Prometheus operator", "v1.20.15", true, "policy/v1beta1", true)]
    [InlineData("current cluster without it", "v1.30.2", false, "policy/v1", false)]
    public async Task RenderAsync_Capabilities_ChartBranchesOnTheClustersVersionAndApis(string name, string version, bool operatorInstalled, string pdbApiVersion, bool serviceMonitor)
    {
        _ = name;
        var capabilities = operatorInstalled ? Cluster(version, "monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor") : Cluster(version);

        var result = await RealHelm().RenderAsync(Request() with { Capabilities = _ => Task.FromResult(capabilities) }, CancellationToken.None);

        Assert.Equal(pdbApiVersion, One(result, "PodDisruptionBudget", "guestbook-guestbook").ApiVersion);
        Assert.Equal(serviceMonitor, result.Manifests.Any(m => m.Key.Kind == "ServiceMonitor"));
    }

    [Fact]
    public async Task RenderAsync_TemplateFails_ErrorCarriesHelmsMessage()
    {
        var broken = new HelmOptions { Parameters = [new HelmParameter("image", "not-a-map")] };

        var ex = await Assert.ThrowsAsync<RenderException>(() => RealHelm().RenderAsync(Request(broken), CancellationToken.None));

        Assert.Equal("charts/guestbook", ex.Path);
        Assert.Contains("helm template failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("can't evaluate field repository", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_Invocation_ArgoArgumentsValuesInAFileAndNoHelmStateInHome()
    {
        // A stand-in records what Ferry hands helm (the real helm cannot show it): arguments, the inline values file, the environment.
        var record = Path.Combine(bin, "record.txt");
        var fake = Path.Combine(bin, "helm");
        File.WriteAllText(fake, $$"""
            #!/bin/sh
            for a in "$@"; do printf 'ARG %s\n' "$a"; done > '{{record}}'
            for a in "$@"; do case "$a" in *ferry-helm-values-*) sed 's/^/VALUES /' "$a" >> '{{record}}';; esac; done
            env | grep '^HELM_' | sort >> '{{record}}'
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var renderer = new HelmRenderer(new ProcessRunner(), new HelmRendererOptions { Executable = fake });
        var options = new HelmOptions
        {
            ReleaseName = "gb",
            ValueFiles = ["values-prod.yaml"],
            Values = "secretish: value-in-a-file\n",
            Parameters = [new HelmParameter("image.tag", "v2"), new HelmParameter("service.port", "80", ForceString: true)],
        };
        var request = Request(options) with { Capabilities = _ => Task.FromResult(Cluster("v1.30.2")) };

        await renderer.RenderAsync(request, CancellationToken.None);

        var lines = File.ReadAllLines(record);
        var argv = lines.Where(l => l.StartsWith("ARG ", StringComparison.Ordinal)).Select(l => l[4..]).ToArray();
        var chart = Path.Combine(Root, "charts", "guestbook");
        Assert.Equal(
            ["template", "gb", chart, "--namespace", "web", "--include-crds", "--kube-version", "v1.30.2",
             "--api-versions", "apps/v1", "--api-versions", "apps/v1/Deployment", "--api-versions", "v1", "--api-versions", "v1/Service",
             "-f", Path.Combine(chart, "values-prod.yaml"), "-f"],
            argv[..19]);
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "ferry-helm-values-"), argv[19], StringComparison.Ordinal);
        Assert.Equal(["--set", "image.tag=v2", "--set-string", "service.port=80"], argv[20..]);
        Assert.DoesNotContain(argv, a => a.Contains("value-in-a-file", StringComparison.Ordinal));
        Assert.Contains("VALUES secretish: value-in-a-file", lines);
        Assert.False(File.Exists(argv[19]), "the inline values file is removed after the run");

        var helmHomes = lines.Where(l => l.StartsWith("HELM_", StringComparison.Ordinal)).ToList();
        Assert.Equal(["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"], helmHomes.Select(l => l.Split('=')[0]));
        var home = Path.GetDirectoryName(helmHomes[0].Split('=')[1])!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "ferry-helm-home-"), home, StringComparison.Ordinal);
        Assert.All(helmHomes, l => Assert.StartsWith(home, l.Split('=')[1], StringComparison.Ordinal));
        Assert.False(System.IO.Directory.Exists(home), "helm's folders are removed after the run");
    }

    [Fact]
    public void FindHelm_BundledFirstThenFerryHelmThenPath()
    {
        string Executable(string relative)
        {
            var path = Path.Combine(bin, relative);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "#!/bin/sh\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            return path;
        }

        var onPath = Executable("path/helm");
        var fromVariable = Executable("elsewhere/helm");
        var options = new HelmRendererOptions { BaseDirectory = Path.Combine(bin, "app"), HelmFromEnvironment = fromVariable, SearchPath = Path.Combine(bin, "path") };

        Assert.Equal(fromVariable, HelmRenderer.FindHelm(options));
        Assert.Equal(onPath, HelmRenderer.FindHelm(options with { HelmFromEnvironment = null }));
        var bundled = Executable("app/tools/helm/helm");
        Assert.Equal(bundled, HelmRenderer.FindHelm(options));
    }

    [Fact]
    public void FindHelm_BundledWithoutExecuteBit_UsesAnExecutableCopy()
    {
        var bundled = Path.Combine(bin, "app", "tools", "helm", "helm");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(bundled)!);
        File.WriteAllText(bundled, $"#!/bin/sh\n# {Guid.NewGuid()}\n");
        File.SetUnixFileMode(bundled, UnixFileMode.UserRead);

        var found = HelmRenderer.FindHelm(new HelmRendererOptions { BaseDirectory = Path.Combine(bin, "app"), HelmFromEnvironment = null, SearchPath = bin })!;

        Assert.NotEqual(bundled, found);
        Assert.Equal(File.ReadAllText(bundled), File.ReadAllText(found));
        Assert.NotEqual(UnixFileMode.None, File.GetUnixFileMode(found) & UnixFileMode.UserExecute);
        System.IO.Directory.Delete(Path.GetDirectoryName(found)!, recursive: true);
    }

    [Fact]
    public async Task RenderAsync_HelmMissing_ClearErrorSayingWhereItLooked()
    {
        var renderer = new HelmRenderer(new ProcessRunner(), new HelmRendererOptions { BaseDirectory = bin, HelmFromEnvironment = null, SearchPath = bin });

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request(), CancellationToken.None));

        Assert.Equal("charts/guestbook", ex.Path);
        Assert.Contains("helm is not installed", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(bin, "tools", "helm", "helm"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("FERRY_HELM", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "values-missing.yaml", "the value file does not exist")]
    [InlineData("outside root", "../../../../HelmRendererTests.cs", "the value file is outside the repository root")]
    public async Task RenderAsync_BadValueFile_Refused(string name, string valueFile, string reason)
    {
        _ = name;
        var ex = await Assert.ThrowsAsync<RenderException>(() => RealHelm().RenderAsync(Request(new HelmOptions { ValueFiles = [valueFile] }), CancellationToken.None));

        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public async Task RenderAsync_RefValueFile_IsReadFromTheRefSourcesCheckout()
    {
        using var values = new TempDirectory();
        System.IO.Directory.CreateDirectory(Path.Combine(values.Path, "web"));
        File.WriteAllText(Path.Combine(values.Path, "web", "prod.yaml"), "replicaCount: 7\n");
        var request = Request(new HelmOptions { ValueFiles = ["values-prod.yaml", "$values/web/prod.yaml"] }) with
        {
            RefRoots = new Dictionary<string, string> { ["values"] = values.Path },
        };

        var result = await RealHelm().RenderAsync(request, CancellationToken.None);

        // values-prod.yaml says 3; the ref source's file comes later and wins, as with helm's own -f order.
        var deployment = One(result, "Deployment", "guestbook-guestbook").Object;
        Assert.Equal(7L, (long)deployment["spec"]!["replicas"]!);
    }

    [Theory]
    [InlineData("$config/prod.yaml", "helm.valueFiles names ref 'config', which no source of spec.sources declares")]
    [InlineData("$values/missing.yaml", "the value file does not exist in the checkout of ref 'values'")]
    [InlineData("$values/../escape.yaml", "the value file is outside the checkout of ref 'values'")]
    public async Task RenderAsync_BadRefValueFile_RefusedNamingTheRef(string valueFile, string reason)
    {
        using var values = new TempDirectory();
        var request = Request(new HelmOptions { ValueFiles = [valueFile] }) with { RefRoots = new Dictionary<string, string> { ["values"] = values.Path } };

        var ex = await Assert.ThrowsAsync<RenderException>(() => RealHelm().RenderAsync(request, CancellationToken.None));

        Assert.Equal(valueFile, ex.Path);
        Assert.Equal(reason, ex.Reason);
    }
}
