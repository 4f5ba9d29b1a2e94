namespace Ferry.Core.Render.Helm;

/// <summary>Where to find <c>helm</c> and how long it may take.</summary>
public sealed record HelmRendererOptions
{
    /// <summary>The helm shipped with Ferry, relative to the application's folder.</summary>
    public const string BundledPath = "tools/helm/helm";

    /// <summary>The environment variable naming a helm executable, looked at after the bundled one.</summary>
    public const string HelmVariable = "FERRY_HELM";

    /// <summary>An explicit helm executable; when set, nothing else is searched.</summary>
    public string? Executable { get; init; }

    /// <summary>The folder holding <see cref="BundledPath"/> (the application's base folder).</summary>
    public string BaseDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>The value of <see cref="HelmVariable"/> (read from the environment by default).</summary>
    public string? HelmFromEnvironment { get; init; } = Environment.GetEnvironmentVariable(HelmVariable);

    /// <summary>PATH-style folders searched last; null uses the process's PATH.</summary>
    public string? SearchPath { get; init; }

    /// <summary>Time limit of one <c>helm template</c>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}
