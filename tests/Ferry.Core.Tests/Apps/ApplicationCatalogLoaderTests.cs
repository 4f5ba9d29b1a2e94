using Ferry.Core.Apps;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Apps;

public sealed class ApplicationCatalogLoaderTests
{
    private readonly ApplicationCatalogLoader loader = new();

    private static string Header(string name = "app") => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: {name}
        """;

    private ApplicationCatalog LoadText(string text, string file = "apps.yaml") => loader.Load([(text, file)]);

    [Fact]
    public async Task LoadAsync_Directory_ReadsAllAppsAndProjectsSortedAndIgnoresOtherKinds()
    {
        var catalog = await loader.LoadAsync(TestDataFolder.Path("catalog"), CancellationToken.None);

        Assert.Equal(["guestbook", "helm-guestbook", "kustomize-guestbook"], catalog.Applications.Select(a => a.Name));
        Assert.Equal(["default", "web"], catalog.Projects.Select(p => p.Name));
        Assert.Same(AppProject.Default, catalog.FindProject("default"));
        Assert.Equal("web", catalog.ProjectOf(catalog.FindApplication("guestbook")!).Name);
    }

    [Fact]
    public async Task LoadAsync_FullApplication_MapsEveryField()
    {
        var catalog = await loader.LoadAsync(TestDataFolder.Path("catalog"), CancellationToken.None);
        var app = catalog.FindApplication("guestbook")!;

        Assert.Equal($"{TestDataFolder.Path("catalog")}/guestbook.yaml", app.File);
        Assert.Equal(1, app.Line);
        Assert.Equal("argocd", app.Namespace);
        Assert.Equal("web", app.Labels["team"]);
        Assert.Equal([".", "../shared"], app.ManifestGeneratePaths);
        Assert.Equal("https://github.com/argoproj/argocd-example-apps.git", app.Source.RepoUrl);
        Assert.Equal("main", app.Source.TargetRevision);
        Assert.Equal("guestbook", app.Source.Path);
        Assert.Equal(new Ferry.Core.Render.DirectoryOptions { Recurse = true, Include = "{*.yaml,*.yml}", Exclude = "test/*" }, app.Source.Directory);
        Assert.Null(app.Source.Kustomize);
        Assert.Equal(new ApplicationDestination { Server = "https://kubernetes.default.svc", Namespace = "guestbook" }, app.Destination);
        Assert.Equal(new AutomatedSyncPolicy { Prune = true, SelfHeal = true }, app.SyncPolicy!.Automated);
        Assert.Equal(["CreateNamespace=true", "ServerSideApply=true"], app.SyncPolicy.SyncOptions);
        Assert.True(app.SyncPolicy.HasOption("CreateNamespace"));
        Assert.Equal(3, app.SyncPolicy.Retry!.Limit);
        Assert.Equal(new RetryBackoff { Duration = TimeSpan.FromSeconds(10), Factor = 3, MaxDuration = TimeSpan.FromSeconds(90) }, app.SyncPolicy.Retry.Backoff);
        var ignore = Assert.Single(app.IgnoreDifferences);
        Assert.Equal("apps", ignore.Group);
        Assert.Equal("Deployment", ignore.Kind);
        Assert.Equal("guestbook-ui", ignore.Name);
        Assert.Equal(["/spec/replicas"], ignore.JsonPointers);
        Assert.Equal(["kube-controller-manager"], ignore.ManagedFieldsManagers);
        Assert.Equal(3, app.RevisionHistoryLimit);
    }

    [Fact]
    public async Task LoadAsync_HelmAndKustomizeApps_MapOntoRenderOptions()
    {
        var catalog = await loader.LoadAsync(TestDataFolder.Path("catalog"), CancellationToken.None);
        var helm = catalog.FindApplication("helm-guestbook")!;
        var kustomize = catalog.FindApplication("kustomize-guestbook")!;

        Assert.Equal("HEAD", helm.Source.TargetRevision);
        Assert.Equal("default", helm.Project);
        Assert.Equal(10, helm.RevisionHistoryLimit);
        Assert.Equal("gb", helm.Source.Helm!.ReleaseName);
        Assert.Equal(["values-production.yaml"], helm.Source.Helm.ValueFiles);
        Assert.Equal("replicaCount: 2\n", helm.Source.Helm.Values);
        Assert.Equal([new("image.tag", "v2"), new("service.port", "80", true)], helm.Source.Helm.Parameters);
        Assert.Equal("staging", helm.Destination.Name);

        var k = kustomize.Source.Kustomize!;
        Assert.Equal("prod-", k.NamePrefix);
        Assert.Equal("-v1", k.NameSuffix);
        Assert.Equal(["gcr.io/heptio-images/ks-guestbook-demo:0.2"], k.Images);
        Assert.Equal("prod", k.CommonLabels["env"]);
        Assert.Equal("web", k.CommonAnnotations["owner"]);
        Assert.Equal("kg", k.Namespace);
        Assert.Equal([new("guestbook-ui", 4), new("other", 2)], k.Replicas);

        var request = kustomize.ToRenderRequest("/checkout");
        Assert.Equal("/checkout", request.RootDirectory);
        Assert.Equal("kustomize-guestbook", request.Path);
        Assert.Equal("kustomize-guestbook", request.AppName);
        Assert.Equal("kg", request.Namespace);
        Assert.Same(k, request.Kustomize);
        Assert.Null(request.Helm);
    }

    [Fact]
    public async Task LoadAsync_UnknownAndUnsupportedFields_KeptAndReportedAsWarnings()
    {
        var catalog = await loader.LoadAsync(TestDataFolder.Path("catalog"), CancellationToken.None, displayRoot: "apps");

        Assert.Equal(
            ["apps/team-a/kustomize-app.yml:27: spec.futureField: unknown field; kept but not used by Ferry",
             "apps/team-a/projects.yaml:22: spec.syncWindows[0]: matches no application: give applications, namespaces or clusters (as in Argo CD)"],
            catalog.Warnings.Select(w => w.ToString()));
        Assert.Equal("kept", (string?)catalog.FindApplication("kustomize-guestbook")!.Raw!["spec"]!["futureField"]);
    }

    [Fact]
    public void Load_TyposInFieldNames_WarnWithFileLineFieldAndTheLikelyField()
    {
        var text = Header("typos") + """

            spec:
              source:
                repoURL: https://g/r
                pth: guestbook
              destination:
                server: https://k
              syncPolicy:
                automated:
                  selfheal: true
                syncOption: [CreateNamespace=true]
            """;

        var catalog = LoadText(text, "apps/typos.yaml");

        string[] expected =
        [
            "apps/typos.yaml:8: spec.source.pth: unknown field (did you mean 'path'?); kept but not used by Ferry",
            "apps/typos.yaml:13: spec.syncPolicy.automated.selfheal: unknown field (did you mean 'selfHeal'?); kept but not used by Ferry",
            "apps/typos.yaml:14: spec.syncPolicy.syncOption: unknown field (did you mean 'syncOptions'?); kept but not used by Ferry",
        ];
        Assert.Equal(expected, catalog.Warnings.Select(w => w.ToString()));
        Assert.Equal(expected, catalog.FindApplication("typos")!.Warnings.Select(w => w.ToString()));
        Assert.False(catalog.FindApplication("typos")!.SyncPolicy!.Automated!.SelfHeal);
    }

    [Fact]
    public void Load_ProjectWarnings_AlsoShownOnItsApplications()
    {
        var project = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team\nspec:\n  sourceRepos: ['*']\n  destinations: [{server: '*', namespace: '*'}]\n  sourceRepo: [x]\n";
        var app = Header("a") + "\nspec:\n  project: team\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n";
        var other = Header("b") + "\nspec:\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n";

        var catalog = loader.Load([(project, "apps/project.yaml"), (app, "apps/a.yaml"), (other, "apps/b.yaml")]);

        Assert.Equal(["apps/project.yaml:8: spec.sourceRepo: unknown field (did you mean 'sourceRepos'?); kept but not used by Ferry"], catalog.FindApplication("a")!.Warnings.Select(w => w.ToString()));
        Assert.Empty(catalog.FindApplication("b")!.Warnings);
    }

    [Fact]
    public async Task LoadAsync_Directory_NamesFilesWithTheFolderTheCatalogWasGivenAs()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "apps", "team"));
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "apps", "team", "bad.yaml"), Header("bad") + "\nspec:\n  source:\n    repoURL: https://g/r\n");
        var apps = Path.Combine(dir.Path, "apps") + "/";

        var ex = await Assert.ThrowsAsync<AppValidationException>(() => loader.LoadAsync(apps, CancellationToken.None));

        Assert.Equal($"{dir.Path}/apps/team/bad.yaml:5: spec.destination: is required", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public async Task LoadAsync_Project_MapsRestrictions()
    {
        var catalog = await loader.LoadAsync(TestDataFolder.Path("catalog"), CancellationToken.None);
        var web = catalog.FindProject("web")!;

        Assert.Equal(["https://github.com/argoproj/*", "!https://github.com/argoproj/forbidden"], web.SourceRepos);
        Assert.Equal(2, web.Destinations.Count);
        Assert.Equal([new GroupKind(string.Empty, "Namespace")], web.ClusterResourceWhitelist);
        Assert.Null(web.NamespaceResourceWhitelist);
        Assert.Equal([new GroupKind(string.Empty, "ResourceQuota")], web.NamespaceResourceBlacklist);
    }

    [Theory]
    [InlineData("missing repoURL", "spec:\n  source:\n    path: x\n  destination:\n    server: https://k\n", 6, "spec.source.repoURL", "is required")]
    [InlineData("missing destination", "spec:\n  source:\n    repoURL: https://g/r\n", 5, "spec.destination", "is required")]
    [InlineData("empty destination", "spec:\n  source:\n    repoURL: https://g/r\n  destination:\n    namespace: x\n", 8, "spec.destination", "server or name is required")]
    [InlineData("server and name", "spec:\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n    name: k\n", 8, "spec.destination", "not both")]
    [InlineData("bad bool", "spec:\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n  syncPolicy:\n    automated:\n      prune: yes please\n", 12, "spec.syncPolicy.automated.prune", "must be true or false, got a string")]
    [InlineData("number for string", "spec:\n  source:\n    repoURL: https://g/r\n    targetRevision: 1.0\n  destination:\n    server: https://k\n", 8, "spec.source.targetRevision", "must be a string, got the number 1")]
    [InlineData("bad duration", "spec:\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n  syncPolicy:\n    retry:\n      backoff:\n        duration: soon\n", 13, "spec.syncPolicy.retry.backoff.duration", "must be a duration")]
    [InlineData("two tools", "spec:\n  source:\n    repoURL: https://g/r\n    helm: {}\n    kustomize: {}\n  destination:\n    server: https://k\n", 8, "spec.source.helm", "only one of directory, kustomize and helm")]
    [InlineData("chart with kustomize", "spec:\n  source:\n    repoURL: https://charts.example\n    chart: nginx\n    targetRevision: 1.2.3\n    kustomize: {}\n  destination:\n    server: https://k\n", 10, "spec.source.kustomize", "a Helm chart from a chart repository is rendered with helm")]
    [InlineData("chart version not semver", "spec:\n  source:\n    repoURL: https://charts.example\n    chart: nginx\n    targetRevision: main\n  destination:\n    server: https://k\n", 9, "spec.source.targetRevision", "'main' is neither a chart version nor a version constraint")]
    [InlineData("chart from a git url", "spec:\n  source:\n    repoURL: git@github.com:acme/charts.git\n    chart: nginx\n  destination:\n    server: https://k\n", 7, "spec.source.repoURL", "is a Git URL, but chart is set")]
    [InlineData("oci chart with a path", "spec:\n  source:\n    repoURL: oci://r.example/charts/nginx\n    path: sub\n  destination:\n    server: https://k\n", 8, "spec.source.path", "path must be '.'")]
    [InlineData("no name", "", 3, "metadata.name", "is required")]
    [InlineData("unknown $ref", "spec:\n  sources:\n  - repoURL: https://g/chart\n    path: chart\n    helm:\n      valueFiles: [values.yaml, $config/prod.yaml]\n  - repoURL: https://g/values\n    ref: values\n  destination:\n    server: https://k\n", 10, "spec.sources[0].helm.valueFiles[1]", "names ref 'config', which no source of spec.sources declares")]
    [InlineData("ref twice", "spec:\n  sources:\n  - repoURL: https://g/a\n    path: a\n  - repoURL: https://g/b\n    ref: v\n  - repoURL: https://g/c\n    ref: v\n  destination:\n    server: https://k\n", 12, "spec.sources[2].ref", "ref 'v' is used by more than one source")]
    [InlineData("source and sources", "spec:\n  source:\n    repoURL: https://g/a\n  sources:\n  - repoURL: https://g/b\n  destination:\n    server: https://k\n", 8, "spec.sources", "not both")]
    [InlineData("only refs", "spec:\n  sources:\n  - repoURL: https://g/b\n    ref: v\n  destination:\n    server: https://k\n", 6, "spec.sources", "at least one source must render manifests")]
    public void Load_InvalidApplication_ErrorNamesFileLineAndField(string name, string spec, int line, string field, string reason)
    {
        var text = Header() + "\n" + spec;
        if (spec.Length == 0)
        {
            text = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  labels: {}\nspec:\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n";
        }

        var ex = Assert.Throws<AppValidationException>(() => LoadText(text));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("apps.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"apps.yaml:{line}: {field}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ChartSources_MapsEachArgoForm()
    {
        var app = LoadText(Header() + "\n" + """
            spec:
              sources:
              - repoURL: https://charts.example.com
                chart: nginx
                targetRevision: 1.2.*
                helm:
                  valueFiles: [$values/nginx/prod.yaml]
              - repoURL: registry.example.com/charts
                chart: redis
                targetRevision: ">=1.0 <2"
              - repoURL: oci://registry.example.com/charts/web
                path: .
                targetRevision: 2.0.0
              - repoURL: https://github.com/acme/values
                ref: values
              destination:
                server: https://k
            """).Applications.Single();

        Assert.Equal(("https://charts.example.com", "nginx", false), (app.Sources[0].ChartLocation!.RepoUrl, app.Sources[0].ChartLocation!.Chart, app.Sources[0].ChartLocation!.IsOci));
        Assert.Equal("1.2.*", app.Sources[0].TargetRevision);
        Assert.Equal("oci://registry.example.com/charts/redis", app.Sources[1].ChartLocation!.Display);
        Assert.Equal("oci://registry.example.com/charts/web", app.Sources[2].ChartLocation!.Display);
        Assert.Null(app.Sources[3].ChartLocation);
    }

    [Fact]
    public void Load_MultiSourceApplication_MapsEverySourceAndItsRef()
    {
        var app = LoadText(Header() + "\n" + """
            spec:
              sources:
              - repoURL: https://github.com/acme/values
                targetRevision: v2
                ref: values
              - repoURL: https://github.com/acme/chart
                path: charts/web
                helm:
                  valueFiles: [$values/web/prod.yaml]
              destination:
                server: https://k
            """).Applications.Single();

        Assert.Equal(2, app.Sources.Count);
        Assert.Equal(new ApplicationSource { RepoUrl = "https://github.com/acme/values", TargetRevision = "v2", Ref = "values", RendersManifests = false }, app.Sources[0]);
        Assert.True(app.Sources[1].RendersManifests);
        Assert.Equal(["$values/web/prod.yaml"], app.Sources[1].Helm!.ValueFiles);
        Assert.Same(app.Sources[1], app.Source);
        Assert.Equal(app.Sources, app.AllSources);
    }

    [Fact]
    public void Load_DuplicateNamesAcrossFiles_ErrorNamesBothPlaces()
    {
        const string app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: same\nspec:\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n";

        var ex = Assert.Throws<AppValidationException>(() => loader.Load([(app, "a.yaml"), ("---\n" + app, "b.yaml")]));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("b.yaml:2: metadata.name: duplicate application name 'same' (first defined at a.yaml:1)", error.ToString());
    }

    [Fact]
    public void Load_UnknownProject_ErrorOnProjectField()
    {
        var text = Header() + "\nspec:\n  project: nope\n  source:\n    repoURL: https://g/r\n  destination:\n    server: https://k\n";

        var ex = Assert.Throws<AppValidationException>(() => LoadText(text));

        Assert.Equal("apps.yaml:6: spec.project: project 'nope' is not defined (no AppProject of that name)", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Load_YamlSyntaxError_ErrorWithLine()
    {
        var ex = Assert.Throws<AppValidationException>(() => LoadText("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: [unclosed\n"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("apps.yaml", error.File);
        Assert.True(error.Line >= 4, $"line {error.Line}");
    }

    [Fact]
    public void Load_SeveralErrors_AllReported()
    {
        var text = Header("a") + "\nspec:\n  source: {}\n  destination: {}\n";

        var ex = Assert.Throws<AppValidationException>(() => LoadText(text));

        Assert.Equal(["spec.source.repoURL", "spec.destination"], ex.Errors.Select(e => e.Field));
    }

    [Fact]
    public async Task LoadAsync_MissingPath_Error()
    {
        var ex = await Assert.ThrowsAsync<AppValidationException>(() => loader.LoadAsync("/nonexistent/ferry/apps", CancellationToken.None));

        Assert.Contains("no such file or directory", ex.Message, StringComparison.Ordinal);
    }
}
