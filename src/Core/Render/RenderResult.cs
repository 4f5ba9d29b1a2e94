using Ferry.Core.Resources;

namespace Ferry.Core.Render;

/// <summary>The manifests a renderer produced, in the order it produced them, and which tool made them.</summary>
public sealed record RenderResult(IReadOnlyList<Manifest> Manifests, string Tool);
