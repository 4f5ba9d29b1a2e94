using Ferry.Core.Apps;
using Ferry.Core.Apps.ApplicationSets;
using Ferry.Core.Git;
using Ferry.Core.Jobs;
using Ferry.Core.Processes;
using Ferry.Core.Tests.Git;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Apps.ApplicationSets;

/// <summary>ApplicationSets read from the catalog and expanded against a real Git repository and a clusters list.</summary>
public sealed class ApplicationSetExpanderTests : IDisposable
{
    private static readonly ClusterEntry[] Clusters =
    [
        new("staging", "https://staging.example.com:6443", new KubeconfigClusterAuth()),
        new("Prod_EU", "https://prod-eu.example.com:6443", new KubeconfigClusterAuth()),
    ];

    private readonly TempDirectory _temp = new();
    private readonly TestGitRepository _repo = TestGitRepository.Create(new Dictionary<string, string>
    {
        ["apps/web/deploy.yaml"] = "kind: ConfigMap\n",
        ["apps/api/deploy.yaml"] = "kind: ConfigMap\n",
        ["apps/legacy/deploy.yaml"] = "kind: ConfigMap\n",
        ["config/eu/config.json"] = """{"cluster": {"name": "prod-eu", "address": "https://prod-eu.example.com:6443"}, "tier": "gold", "zones": ["a", "b"]}""",
        ["config/us/config.yaml"] = "cluster:\n  name: prod-us\n  address: https://prod-us.example.com:6443\ntier: silver\nzones: [c]\n",
    });

    private readonly GitRepositoryCache _git;

    public ApplicationSetExpanderTests() =>
        _git = new GitRepositoryCache(new GitCacheOptions { RootDirectory = Path.Combine(_temp.Path, "git") }, new ProcessRunner());

    public void Dispose()
    {
        _repo.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Expand_ListGenerator_DefaultSyntax()
    {
        var catalog = await ExpandAsync("""
            generators:
            - list:
                elements:
                - {cluster: engineering-dev, url: 'https://1.2.3.4', values: {tier: dev}}
                - {cluster: engineering-prod, url: 'https://2.4.6.8', values: {tier: prod}}
            template:
              metadata: {name: '{{cluster}}-guestbook'}
              spec:
                project: default
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: HEAD, path: 'envs/{{values.tier}}'}
                destination: {server: '{{url}}', namespace: '{{ unknown }}'}
            """);

        Assert.Equal(["engineering-dev-guestbook", "engineering-prod-guestbook"], catalog.Applications.Select(a => a.Name));
        var prod = catalog.FindApplication("engineering-prod-guestbook")!;
        Assert.Equal("envs/prod", prod.Source.Path);
        Assert.Equal("https://2.4.6.8", prod.Destination.Server);
        Assert.Equal("{{ unknown }}", prod.Destination.Namespace);
        Assert.Equal("guestbook", prod.GeneratedBy);
        Assert.Equal("appset.yaml", prod.File);
    }

    [Fact]
    public async Task Expand_ClustersGenerator_EveryClusterOfTheClustersFile()
    {
        var catalog = await ExpandAsync("""
            generators:
            - clusters: {values: {revision: stable}}
            template:
              metadata: {name: 'guestbook-{{nameNormalized}}'}
              spec:
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: '{{values.revision}}', path: guestbook}
                destination: {name: '{{name}}', namespace: guestbook}
            """);

        Assert.Equal(["guestbook-prod-eu", "guestbook-staging"], catalog.Applications.Select(a => a.Name));
        Assert.Equal("Prod_EU", catalog.FindApplication("guestbook-prod-eu")!.Destination.Name);
        Assert.Equal("stable", catalog.FindApplication("guestbook-staging")!.Source.TargetRevision);
    }

    [Fact]
    public async Task Expand_GitDirectories_IncludeAndExclude()
    {
        var catalog = await ExpandAsync("""
            generators:
            - git:
                repoURL: REPO_URL
                revision: main
                directories:
                - path: apps/*
                - path: apps/legacy
                  exclude: true
            template:
              metadata: {name: '{{path.basename}}'}
              spec:
                source: {repoURL: 'REPO_URL', targetRevision: main, path: '{{path}}'}
                destination: {server: 'https://kubernetes.default.svc', namespace: '{{path[0]}}-{{path.basenameNormalized}}'}
            """);

        Assert.Equal(["api", "web"], catalog.Applications.Select(a => a.Name));
        Assert.Equal("apps/web", catalog.FindApplication("web")!.Source.Path);
        Assert.Equal("apps-web", catalog.FindApplication("web")!.Destination.Namespace);
    }

    [Fact]
    public async Task Expand_GitFiles_FieldsFlattenedAsArgoDoes()
    {
        var catalog = await ExpandAsync("""
            generators:
            - git:
                repoURL: REPO_URL
                files: [{path: 'config/**/config.*'}]
            template:
              metadata: {name: '{{cluster.name}}-{{tier}}'}
              spec:
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: main, path: 'zones/{{zones.0}}/{{path.basename}}/{{path.filename}}'}
                destination: {server: '{{cluster.address}}', namespace: guestbook}
            """);

        Assert.Equal(["prod-eu-gold", "prod-us-silver"], catalog.Applications.Select(a => a.Name));
        Assert.Equal("zones/a/eu/config.json", catalog.FindApplication("prod-eu-gold")!.Source.Path);
        Assert.Equal("https://prod-us.example.com:6443", catalog.FindApplication("prod-us-silver")!.Destination.Server);
    }

    [Fact]
    public async Task Expand_GoTemplateWithMatrixAndTemplatePatch()
    {
        var catalog = await ExpandAsync("""
            goTemplate: true
            generators:
            - matrix:
                generators:
                - git:
                    repoURL: REPO_URL
                    directories: [{path: 'apps/*'}, {path: apps/legacy, exclude: true}]
                - list:
                    elements:
                    - {env: dev, auto: true}
                    - {env: prod, auto: false}
            template:
              metadata: {name: '{{.path.basename}}-{{.env | lower}}'}
              spec:
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: main, path: '{{index .path.segments 1}}/{{ default "base" .overlay }}'}
                destination: {server: 'https://kubernetes.default.svc', namespace: '{{ printf "%s-%s" .env .path.basename }}'}
            templatePatch: |
              {{- if .auto }}
              spec:
                syncPolicy:
                  automated: {prune: true}
              {{- end }}
            """);

        Assert.Equal(["api-dev", "api-prod", "web-dev", "web-prod"], catalog.Applications.Select(a => a.Name));
        Assert.True(catalog.FindApplication("web-dev")!.SyncPolicy?.Automated?.Prune);
        Assert.Null(catalog.FindApplication("web-prod")!.SyncPolicy?.Automated);
        Assert.Equal("web/base", catalog.FindApplication("web-prod")!.Source.Path);
        Assert.Equal("prod-web", catalog.FindApplication("web-prod")!.Destination.Namespace);
    }

    [Fact]
    public async Task Expand_MissingKeyError_NamesTheSetAndField()
    {
        var ex = await Assert.ThrowsAsync<AppValidationException>(() => ExpandAsync("""
            goTemplate: true
            goTemplateOptions: ["missingkey=error"]
            generators:
            - list: {elements: [{env: dev}]}
            template:
              metadata: {name: 'app-{{.environment}}'}
              spec:
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: main, path: x}
                destination: {server: 'https://kubernetes.default.svc', namespace: x}
            """));

        Assert.Equal("appset.yaml:1: ApplicationSet 'guestbook': spec.template.metadata.name: map has no entry for key \"environment\"", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public async Task Expand_MergeGenerator_OverridesByMergeKey()
    {
        var catalog = await ExpandAsync("""
            generators:
            - merge:
                mergeKeys: [name]
                generators:
                - clusters: {values: {replicas: '1'}}
                - list:
                    elements:
                    - {name: Prod_EU, values.replicas: '5'}
                    - {name: nowhere, values.replicas: '9'}
            template:
              metadata: {name: 'web-{{nameNormalized}}-{{values.replicas}}'}
              spec:
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: main, path: web}
                destination: {name: '{{name}}', namespace: web}
            """);

        Assert.Equal(["web-prod-eu-5", "web-staging-1"], catalog.Applications.Select(a => a.Name));
    }

    [Theory]
    [InlineData("- pullRequest: {github: {owner: acme, repo: web}}", "appset.yaml:11: spec.generators[0].pullRequest: the pullRequest generator is not supported by Ferry (supported: list, clusters, git, matrix, merge)")]
    [InlineData("- list: {elements: [{a: b}]}\n  selector: {matchLabels: {a: b}}", "appset.yaml:12: spec.generators[0].selector: generator selectors are not supported by Ferry")]
    [InlineData("- matrix: {generators: [{list: {elements: []}}]}", "appset.yaml:11: spec.generators[0].matrix.generators: a matrix combines exactly two generators")]
    [InlineData("- list: {elements: [{a: b}], element: []}", "appset.yaml:11: spec.generators[0].list.element: unknown field")]
    [InlineData("- git: {repoURL: 'https://x', directories: [{path: a}], files: [{path: b}]}", "appset.yaml:11: spec.generators[0].git: needs exactly one of directories or files")]
    public void Load_UnsupportedOrBadGenerator_ErrorNamesFileLineField(string generators, string expected)
    {
        var ex = Assert.Throws<AppValidationException>(() => new ApplicationCatalogLoader().Load([(AppSet(generators, "template:\n  metadata: {name: x}\n  spec: {}"), "appset.yaml")]));

        Assert.Equal(expected, Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public async Task Expand_GeneratedNameClashesWithAnApp_FailsNamingBoth()
    {
        var ex = await Assert.ThrowsAsync<AppValidationException>(() => ExpandAsync("""
            generators:
            - list: {elements: [{n: web}]}
            template:
              metadata: {name: '{{n}}'}
              spec:
                source: {repoURL: 'https://github.com/acme/guestbook', targetRevision: main, path: x}
                destination: {server: 'https://kubernetes.default.svc', namespace: x}
            """, extra: ("""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              source: {repoURL: 'https://github.com/acme/web', targetRevision: main, path: x}
              destination: {server: 'https://kubernetes.default.svc', namespace: x}
            """, "web.yaml")));

        Assert.Contains(ex.Errors, e => e.ToString() == "appset.yaml:1: spec.template.metadata.name: application 'web' is defined more than once: web.yaml:1 and ApplicationSet 'guestbook' (appset.yaml:1)");
    }

    [Fact]
    public async Task Provider_PushToGeneratorRepository_RegeneratesAndADroppedAppLeaves()
    {
        var apps = Path.Combine(_temp.Path, "apps");
        Directory.CreateDirectory(apps);
        await File.WriteAllTextAsync(Path.Combine(apps, "appset.yaml"), AppSet("""
            - git:
                repoURL: REPO_URL
                directories: [{path: 'apps/*'}]
            """, """
            template:
              metadata: {name: '{{path.basename}}'}
              spec:
                source: {repoURL: 'REPO_URL', targetRevision: main, path: '{{path}}'}
                destination: {server: 'https://kubernetes.default.svc', namespace: '{{path.basename}}'}
            """).Replace("REPO_URL", _repo.Url, StringComparison.Ordinal));
        var provider = new ApplicationSetCatalogProvider(new DirectoryCatalogProvider(apps), new ApplicationSetExpander(_git, Clusters));
        Assert.Equal(["api", "legacy", "web"], (await provider.GetAsync(CancellationToken.None)).Applications.Select(a => a.Name));

        _repo.Git("rm", "-r", "--quiet", "apps/legacy");
        _repo.Commit(new Dictionary<string, string> { ["apps/billing/deploy.yaml"] = "kind: ConfigMap\n" }, "billing in, legacy out");

        Assert.Equal(["api", "billing", "web"], (await provider.GetAsync(CancellationToken.None)).Applications.Select(a => a.Name));
    }

    private async Task<ApplicationCatalog> ExpandAsync(string spec, (string Text, string File)? extra = null)
    {
        var text = $"""
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata:
              name: guestbook
              namespace: argocd
            spec:
            {Indent(spec)}
            """;
        List<(string, string)> sources = [(text.Replace("REPO_URL", _repo.Url, StringComparison.Ordinal), "appset.yaml")];
        if (extra is { } e)
        {
            sources.Add(e);
        }

        var catalog = new ApplicationCatalogLoader().Load(sources);
        return await new ApplicationSetExpander(_git, Clusters).ExpandAsync(catalog, CancellationToken.None);
    }

    private static string AppSet(string generators, string template) => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: guestbook
          namespace: argocd
        spec:
        {Indent(template)}
          generators:
        {Indent(generators)}
        """;

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));
}
