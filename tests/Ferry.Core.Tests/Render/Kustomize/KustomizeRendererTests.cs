using System.Text.Json.Nodes;
using Ferry.Core.Render;
using Ferry.Core.Render.Kustomize;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Render.Kustomize;

/// <summary>Ferry's own kustomize cases (testdata/, expected output from kubectl kustomize v5.5) and the renderer's contract.</summary>
public sealed class KustomizeRendererTests : IDisposable
{
    private static readonly string TestData = Path.Combine(AppContext.BaseDirectory, "Render", "Kustomize", "testdata");
    private readonly string temp = System.IO.Directory.CreateTempSubdirectory("ferry-kustomize-").FullName;

    public static TheoryData<string> Cases() =>
        [.. System.IO.Directory.GetDirectories(TestData).Select(d => Path.GetFileName(d)).Where(n => n != "overrides").Order(StringComparer.Ordinal)];

    public static TheoryData<string> OverrideCases() =>
        [.. System.IO.Directory.GetDirectories(Path.Combine(TestData, "overrides")).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_OwnCase_EqualsKubectlOutput(string name)
    {
        var input = Path.Combine(TestData, name, "input");
        var dir = System.IO.Directory.Exists(Path.Combine(input, "overlay")) ? Path.Combine(input, "overlay") : input;
        var errorFile = Path.Combine(TestData, name, "expected-error.txt");
        if (File.Exists(errorFile))
        {
            // kubectl kustomize failed on this input too when the case was written.
            var ex = Assert.Throws<RenderException>(() => KustomizeRenderer.Build(dir, input));
            Assert.Contains(File.ReadAllText(errorFile).Trim(), ex.ToString(), StringComparison.Ordinal);
            return;
        }

        var expectedText = File.ReadAllText(Path.Combine(TestData, name, "expected.yaml"));
        var actualText = KustomizeRenderer.Build(dir, input);
        var expected = YamlReader.ReadAll(expectedText, "expected.yaml");
        var actual = YamlReader.ReadAll(actualText, "actual.yaml");

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(expected[i].Root, actual[i].Root), $"document {i}:\nexpected {expected[i].Root}\nactual {actual[i].Root}");
        }

        Assert.Equal(expectedText, actualText);
    }

    [Theory]
    [InlineData("error-remote-resource", "kustomization.yaml", 1)]
    [InlineData("error-helm-charts", "kustomization.yaml", 1)]
    [InlineData("error-exec-plugin-transformer", "kustomization.yaml", 3)]
    [InlineData("error-patch-matches-nothing", "kustomization.yaml", 3)]
    [InlineData("error-merge-without-base-generator", "kustomization.yaml", 1)]
    [InlineData("error-var-not-found", "kustomization.yaml", 3)]
    [InlineData("error-duplicate-resource-id", "kustomization.yaml", 1)]
    [InlineData("error-replacement-source-missing", "kustomization.yaml", 3)]
    [InlineData("error-malformed-yaml-line", "res.yaml", 6)]
    [InlineData("error-unknown-field-resourcs", "kustomization.yaml", 1)]
    [InlineData("error-unknown-field-nameprefx", "kustomization.yaml", 3)]
    [InlineData("error-unknown-nested-field-newtags", "kustomization.yaml", 5)]
    public void Build_ErrorCase_NamesFileAndLine(string name, string file, int line)
    {
        var input = Path.Combine(TestData, name, "input");

        var ex = Assert.Throws<RenderException>(() => KustomizeRenderer.Build(input, input));

        Assert.Equal(file, ex.Path);
        Assert.Equal(line, ex.Line);
    }

    /// <summary>Each case's expected.yaml is kubectl kustomize's output for a copy whose kustomization was edited as Argo CD's
    /// `kustomize edit set image|nameprefix|namesuffix|namespace|replicas` and `edit add label|annotation --force` would
    /// (edited-kustomization.yaml); Ferry renders the unedited input with the overrides instead.</summary>
    [Theory]
    [MemberData(nameof(OverrideCases))]
    public void Build_ArgoOverride_EqualsKubectlOnEditedCopy(string name)
    {
        var dir = Path.Combine(TestData, "overrides", name);
        var input = Path.Combine(dir, "input");
        var options = ParseOverrides(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "overrides.json")))!.AsObject());

        var actual = KustomizeRenderer.Build(Path.Combine(input, "app"), input, options);

        Assert.Equal(File.ReadAllText(Path.Combine(dir, "expected.yaml")), actual);
    }

    private static KustomizeOptions ParseOverrides(JsonObject o) => new()
    {
        Images = [.. (o["images"] as JsonArray ?? []).Select(i => (string)i!)],
        NamePrefix = (string?)o["namePrefix"],
        NameSuffix = (string?)o["nameSuffix"],
        Namespace = (string?)o["namespace"],
        CommonLabels = (o["commonLabels"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string)p.Value!),
        CommonAnnotations = (o["commonAnnotations"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string)p.Value!),
        Replicas = [.. (o["replicas"] as JsonArray ?? []).Select(r => new KustomizeReplica((string)r!["name"]!, (int)r["count"]!))],
    };

    [Fact]
    public async Task RenderAsync_Overrides_AppliedLikeKustomizeEditSet()
    {
        Write("app/kustomization.yaml", "resources: [deploy.yaml]\n");
        Write("app/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: nginx:1.0}]\n");
        var request = new RenderRequest
        {
            RootDirectory = temp,
            Path = "app",
            Kustomize = new KustomizeOptions
            {
                NamePrefix = "p-",
                Namespace = "ns1",
                Images = ["nginx=registry.local/nginx:2.0"],
                CommonLabels = new Dictionary<string, string> { ["team"] = "a" },
                Replicas = [new KustomizeReplica("web", 3)],
            },
        };

        var result = await new KustomizeRenderer().RenderAsync(request, CancellationToken.None);

        var manifest = Assert.Single(result.Manifests);
        Assert.Equal("Kustomize", result.Tool);
        Assert.Equal("app/deploy.yaml", manifest.Source);
        Assert.Equal("p-web", manifest.Key.Name);
        Assert.Equal("ns1", manifest.Key.Namespace);
        Assert.Equal(3L, (long)manifest.Object["spec"]!["replicas"]!);
        Assert.Equal("registry.local/nginx:2.0", (string?)manifest.Object["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("a", (string?)manifest.Object["metadata"]!["labels"]!["team"]);
    }

    [Fact]
    public async Task RenderAsync_ResourceOutsideRoot_Throws()
    {
        Write("repo/app/kustomization.yaml", "resources: [../../outside.yaml]\n");
        Write("outside.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        var request = new RenderRequest { RootDirectory = Path.Combine(temp, "repo"), Path = "app" };

        var ex = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer().RenderAsync(request, CancellationToken.None));

        Assert.Contains("outside the repository root", ex.Message, StringComparison.Ordinal);
        Assert.Equal("app/kustomization.yaml", ex.Path);
    }

    [Fact]
    public async Task RenderAsync_MalformedYaml_ThrowsWithFileAndLine()
    {
        Write("app/kustomization.yaml", "resources: [cm.yaml]\n");
        Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
        var request = new RenderRequest { RootDirectory = temp, Path = "app" };

        var ex = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer().RenderAsync(request, CancellationToken.None));

        Assert.Equal("app/cm.yaml", ex.Path);
        Assert.NotNull(ex.Line);
    }

    [Theory]
    [InlineData("resources: [https://github.com/example/repo//base]\n", "remote")]
    [InlineData("helmCharts:\n- name: redis\n", "helmCharts")]
    [InlineData("transformers:\n- |\n  apiVersion: example.com/v1\n  kind: MyPlugin\n  metadata: {name: p}\n", "not supported")]
    public async Task RenderAsync_UnsupportedInput_ThrowsNamingField(string kustomization, string expected)
    {
        Write("app/kustomization.yaml", kustomization);
        var request = new RenderRequest { RootDirectory = temp, Path = "app" };

        var ex = await Assert.ThrowsAsync<RenderException>(() => new KustomizeRenderer().RenderAsync(request, CancellationToken.None));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal("app/kustomization.yaml", ex.Path);
    }

    public void Dispose() => System.IO.Directory.Delete(temp, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(temp, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
