namespace Ferry.Core.Apps;

/// <summary>An Argo CD AppProject: which repositories, destinations and kinds its applications may use.</summary>
public sealed record AppProject
{
    /// <summary>The name of the built-in project.</summary>
    public const string DefaultName = "default";

    /// <summary>The built-in <c>default</c> project, which allows everything.</summary>
    public static readonly AppProject Default = new()
    {
        Name = DefaultName,
        SourceRepos = ["*"],
        Destinations = [new ProjectDestination { Server = "*", Name = "*", Namespace = "*" }],
        ClusterResourceWhitelist = [new GroupKind("*", "*")],
    };

    /// <summary>metadata.name.</summary>
    public required string Name { get; init; }

    /// <summary>spec.sourceRepos: URL globs; a leading <c>!</c> denies.</summary>
    public IReadOnlyList<string> SourceRepos { get; init; } = [];

    /// <summary>spec.destinations.</summary>
    public IReadOnlyList<ProjectDestination> Destinations { get; init; } = [];

    /// <summary>spec.clusterResourceWhitelist; cluster-scoped kinds are denied unless listed here.</summary>
    public IReadOnlyList<GroupKind> ClusterResourceWhitelist { get; init; } = [];

    /// <summary>spec.clusterResourceBlacklist.</summary>
    public IReadOnlyList<GroupKind> ClusterResourceBlacklist { get; init; } = [];

    /// <summary>spec.namespaceResourceWhitelist; null allows every namespaced kind, an empty list none.</summary>
    public IReadOnlyList<GroupKind>? NamespaceResourceWhitelist { get; init; }

    /// <summary>spec.namespaceResourceBlacklist.</summary>
    public IReadOnlyList<GroupKind> NamespaceResourceBlacklist { get; init; } = [];

    /// <summary>spec.syncWindows, in the order written.</summary>
    public IReadOnlyList<SyncWindow> SyncWindows { get; init; } = [];

    /// <summary>The file the project was read from, empty for the built-in one.</summary>
    public string File { get; init; } = string.Empty;

    /// <summary>The line its document starts on.</summary>
    public int Line { get; init; }
}
