using Ferry.Core.Render.Directory;

namespace Ferry.Core.Render;

/// <summary>
/// Picks the renderer for a source the way Argo CD does: explicit helm or kustomize options first, then the source folder's
/// files — a <c>Chart.yaml</c> means Helm, a <c>kustomization.yaml</c>, <c>kustomization.yml</c> or <c>Kustomization</c> means
/// Kustomize (which wins when both are present, as in Argo), anything else is a plain directory.
/// </summary>
public sealed class RendererSelector : IRenderer
{
    /// <summary>Tool name of the directory renderer.</summary>
    public const string DirectoryTool = "Directory";

    /// <summary>Tool name of the Kustomize renderer.</summary>
    public const string KustomizeTool = "Kustomize";

    /// <summary>Tool name of the Helm renderer.</summary>
    public const string HelmTool = "Helm";

    /// <summary>The selector has no tool of its own; each render names the tool it used.</summary>
    public string Tool => "auto";

    private static readonly string[] KustomizationFiles = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private readonly Dictionary<string, IRenderer> renderers;

    /// <summary>A selector over the available renderers; a Directory renderer is added when none is given.</summary>
    public RendererSelector(IEnumerable<IRenderer> renderers)
    {
        this.renderers = new Dictionary<string, IRenderer>(StringComparer.Ordinal);
        foreach (var renderer in renderers)
        {
            this.renderers[renderer.Tool] = renderer;
        }

        this.renderers.TryAdd(DirectoryTool, new DirectoryRenderer());
    }

    /// <summary>The selector every entry point uses: tool detection over Directory, Kustomize and Helm (run by <paramref name="runner"/>).</summary>
    public static RendererSelector CreateDefault(Processes.ProcessRunner runner) =>
        new([new DirectoryRenderer(), new Kustomize.KustomizeRenderer(), new Helm.HelmRenderer(runner)]);

    /// <summary>The tool Argo CD would use for the request's source: Directory, Kustomize or Helm.</summary>
    public static string DetectTool(RenderRequest request)
    {
        if (request.Helm is not null && request.Kustomize is null)
        {
            return HelmTool;
        }

        if (request.Kustomize is not null && request.Helm is null)
        {
            return KustomizeTool;
        }

        var folder = SourcePath.ResolveDirectory(request.RootDirectory, request.Path);
        if (KustomizationFiles.Any(name => File.Exists(Path.Combine(folder, name))))
        {
            return KustomizeTool;
        }

        // Argo matches any file name ending in Chart.yaml.
        return System.IO.Directory.EnumerateFiles(folder).Any(f => Path.GetFileName(f).EndsWith("Chart.yaml", StringComparison.Ordinal)) ? HelmTool : DirectoryTool;
    }

    /// <summary>The renderer for the request; throws <see cref="RenderException"/> when its tool is not available here.</summary>
    public IRenderer Select(RenderRequest request)
    {
        var tool = DetectTool(request);
        if (renderers.TryGetValue(tool, out var renderer))
        {
            return renderer;
        }

        throw new RenderException(string.IsNullOrEmpty(request.Path) ? "." : request.Path, null, $"{tool} is not supported: no {tool} renderer is registered in this Ferry");
    }

    /// <summary>Detects the tool and renders.</summary>
    public Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken) =>
        Select(request).RenderAsync(request, cancellationToken);
}
