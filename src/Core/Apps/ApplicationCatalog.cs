using Ferry.Core.Health;

namespace Ferry.Core.Apps;

/// <summary>The applications and projects Ferry manages, with the warnings loading them produced.</summary>
public sealed record ApplicationCatalog
{
    /// <summary>Applications sorted by name.</summary>
    public IReadOnlyList<Application> Applications { get; init; } = [];

    /// <summary>Projects sorted by name, the built-in <c>default</c> included unless a file overrides it.</summary>
    public IReadOnlyList<AppProject> Projects { get; init; } = [AppProject.Default];

    /// <summary>Unknown or unsupported fields found, in file and line order.</summary>
    public IReadOnlyList<AppWarning> Warnings { get; init; } = [];

    /// <summary>ApplicationSets sorted by name (their Applications are added by <see cref="ApplicationSets.ApplicationSetExpander"/>).</summary>
    public IReadOnlyList<ApplicationSets.ApplicationSet> ApplicationSets { get; init; } = [];

    /// <summary>Lua health scripts from an <c>argocd-cm</c> ConfigMap in the catalog (none when there is no such ConfigMap).</summary>
    public ResourceCustomizations ResourceCustomizations { get; init; } = ResourceCustomizations.None;

    /// <summary>The application of that name, or null.</summary>
    public Application? FindApplication(string name) => Applications.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));

    /// <summary>The project of that name, or null.</summary>
    public AppProject? FindProject(string name) => Projects.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>The project an application belongs to (the loader guarantees it exists).</summary>
    public AppProject ProjectOf(Application application) =>
        FindProject(application.Project) ?? throw new InvalidOperationException($"application {application.Name} names unknown project {application.Project}");
}
