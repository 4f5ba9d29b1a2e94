namespace Ferry.Core.Status;

/// <summary>One successful sync in an app's history (Argo CD's <c>status.history[]</c>).</summary>
public sealed record HistoryEntry
{
    /// <summary>Increasing id within the app.</summary>
    public required long Id { get; init; }

    /// <summary>The Git commit that was deployed.</summary>
    public required string Revision { get; init; }

    /// <summary>When the sync finished.</summary>
    public required DateTimeOffset DeployedAt { get; init; }

    /// <summary>When the sync started.</summary>
    public DateTimeOffset DeployStartedAt { get; init; }

    /// <summary>When the deployed objects were first all Healthy after this sync (at its end or at a later refresh); null until then.</summary>
    public DateTimeOffset? HealthyAt { get; init; }

    /// <summary>The source repository URL.</summary>
    public string? RepoUrl { get; init; }

    /// <summary>The source path.</summary>
    public string? Path { get; init; }

    /// <summary>The deployed commit's subject line, when Git had it.</summary>
    public string? CommitMessage { get; init; }

    /// <summary>The deployed commit's author, when Git had it.</summary>
    public string? CommitAuthor { get; init; }

    /// <summary>Why the sync ran (webhook, drift, manual, rollback).</summary>
    public string? Reason { get; init; }
}
