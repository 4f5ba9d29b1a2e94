namespace Ferry.Core.Render;

/// <summary>Rendering failed; names the file (relative to the source root) and line when there is one.</summary>
public sealed class RenderException(string path, int? line, string reason, Exception? inner = null)
    : Exception(line is null ? $"{path}: {reason}" : $"{path}:{line}: {reason}", inner)
{
    /// <summary>The file or directory at fault, relative to the repository root where possible.</summary>
    public string Path { get; } = path;

    /// <summary>One-based line, when known.</summary>
    public int? Line { get; } = line;

    /// <summary>What was wrong, without the location.</summary>
    public string Reason { get; } = reason;
}
