namespace Ferry.Core.Render;

/// <summary>Turns a source directory into desired manifests. Throws <see cref="RenderException"/> on bad input.</summary>
public interface IRenderer
{
    /// <summary>The tool's name as Argo CD shows it: Directory, Kustomize or Helm.</summary>
    string Tool { get; }

    /// <summary>Renders the request's path.</summary>
    Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken);
}
