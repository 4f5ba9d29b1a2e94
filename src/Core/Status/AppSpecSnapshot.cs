namespace Ferry.Core.Status;

/// <summary>What the app asked for when it was last reconciled: its source as declared (the target revision, not the resolved SHA) and its destination.</summary>
public sealed record AppSpecSnapshot
{
    /// <summary>The source repository URL.</summary>
    public string? RepoUrl { get; init; }

    /// <summary>The path inside the repository.</summary>
    public string? Path { get; init; }

    /// <summary>The branch, tag, SHA or <c>HEAD</c> the app tracks.</summary>
    public string? TargetRevision { get; init; }

    /// <summary>The destination cluster's API server URL, when named by URL.</summary>
    public string? DestinationServer { get; init; }

    /// <summary>The destination cluster's name, when named by name.</summary>
    public string? DestinationName { get; init; }

    /// <summary>The destination namespace.</summary>
    public string? DestinationNamespace { get; init; }
}
