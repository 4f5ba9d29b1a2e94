using Ferry.Core.Resources;
using Ferry.Core.Yaml;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Renders a kustomization natively (no kustomize binary), producing what `kustomize build` v5.5 prints.</summary>
public sealed class KustomizeRenderer : IRenderer
{
    /// <inheritdoc/>
    public string Tool => "Kustomize";

    /// <inheritdoc/>
    public Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var root = Path.GetFullPath(request.RootDirectory);
        var directory = Path.GetFullPath(Path.Combine(root, request.Path));
        var build = new KustomizeBuild(root);
        var resources = build.Build(directory, request.Kustomize);
        var manifests = resources.Select(r => new Manifest(r.Obj, r.Source, r.Line)).ToList();
        return Task.FromResult(new RenderResult(manifests, Tool));
    }

    /// <summary>Builds <paramref name="directory"/> (absolute) and returns the YAML stream `kustomize build` would print; references may go anywhere under <paramref name="root"/> (default: the directory itself).</summary>
    public static string Build(string directory, string? root = null, KustomizeOptions? options = null)
    {
        var build = new KustomizeBuild(root ?? directory);
        var resources = build.Build(directory, options);
        return YamlWriter.WriteAll(resources.Select(r => r.Obj));
    }
}
