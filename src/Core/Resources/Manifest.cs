using System.Text.Json.Nodes;

namespace Ferry.Core.Resources;

/// <summary>A desired object produced by a renderer, with the file and line it came from.</summary>
public sealed record Manifest(JsonObject Object, string Source, int Line)
{
    /// <summary>The object's identity.</summary>
    public ResourceKey Key => ResourceKey.Of(Object);

    /// <summary>The object's apiVersion.</summary>
    public string ApiVersion => (string?)Object["apiVersion"] ?? string.Empty;

    /// <summary>Reads an annotation of the object, or null.</summary>
    public string? Annotation(string name) => (string?)Object["metadata"]?["annotations"]?[name];
}
