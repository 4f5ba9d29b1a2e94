namespace Ferry.Core.Render.Helm;

/// <summary>Where to find <c>helm</c> and how long it may take.</summary>
public sealed record HelmRendererOptions
{
    /// <summary>PATH-style folders searched for the executable; null uses the process's PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Name of the executable.</summary>
    public string Executable { get; init; } = "helm";

    /// <summary>Time limit of one <c>helm template</c>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}
