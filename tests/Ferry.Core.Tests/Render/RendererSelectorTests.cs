using Ferry.Core.Render;
using Ferry.Core.Render.Directory;

namespace Ferry.Core.Tests.Render;

public sealed class RendererSelectorTests : IDisposable
{
    private readonly string root = System.IO.Directory.CreateTempSubdirectory("ferry-select-").FullName;

    public void Dispose() => System.IO.Directory.Delete(root, recursive: true);

    private RenderRequest Request(params string[] files)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(root, "app"));
        foreach (var file in files)
        {
            File.WriteAllText(Path.Combine(root, "app", file), "{}\n");
        }

        return new RenderRequest { RootDirectory = root, Path = "app" };
    }

    [Theory]
    [InlineData("chart", new[] { "Chart.yaml", "values.yaml" }, "Helm")]
    [InlineData("kustomization.yaml", new[] { "kustomization.yaml" }, "Kustomize")]
    [InlineData("kustomization.yml", new[] { "kustomization.yml" }, "Kustomize")]
    [InlineData("Kustomization", new[] { "Kustomization" }, "Kustomize")]
    [InlineData("both: kustomize wins", new[] { "Chart.yaml", "kustomization.yaml" }, "Kustomize")]
    [InlineData("plain", new[] { "deploy.yaml" }, "Directory")]
    [InlineData("wrong case", new[] { "chart.yaml", "Kustomization.yaml" }, "Directory")]
    public void DetectTool_Files_ArgoRules(string name, string[] files, string expected)
    {
        Assert.Equal(expected, RendererSelector.DetectTool(Request(files)));
    }

    [Fact]
    public void DetectTool_ExplicitHelmOptions_WinOverFiles()
    {
        Assert.Equal("Helm", RendererSelector.DetectTool(Request("deploy.yaml") with { Helm = new HelmOptions() }));
        Assert.Equal("Kustomize", RendererSelector.DetectTool(Request("Chart.yaml") with { Kustomize = new KustomizeOptions() }));
    }

    [Fact]
    public void Select_KustomizationWithoutKustomizeRenderer_ClearError()
    {
        var selector = new RendererSelector([new DirectoryRenderer()]);

        var ex = Assert.Throws<RenderException>(() => selector.Select(Request("kustomization.yaml")));

        Assert.Equal("app: Kustomize is not supported: no Kustomize renderer is registered in this Ferry", ex.Message);
    }

    [Fact]
    public void Select_RegisteredRenderer_IsReturned()
    {
        var fake = new FakeRenderer("Kustomize");
        var selector = new RendererSelector([fake]);

        var plain = Request("deploy.yaml");

        Assert.IsType<DirectoryRenderer>(selector.Select(plain));
        Assert.Same(fake, selector.Select(Request("kustomization.yaml")));
    }

    private sealed class FakeRenderer(string tool) : IRenderer
    {
        public string Tool => tool;

        public Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken) => Task.FromResult(new RenderResult([], tool));
    }
}
