namespace Ferry.Core.Webhooks;

/// <summary>GitHub's <c>push</c>: one ref moved (or was created or deleted) in one repository.</summary>
public sealed record GitHubPush : GitHubEvent
{
    /// <summary>The full ref that moved, such as <c>refs/heads/main</c> or <c>refs/tags/v1.2.0</c>.</summary>
    public required string Ref { get; init; }

    /// <summary>The commit the ref pointed to before (all zeros when the ref was created).</summary>
    public string Before { get; init; } = string.Empty;

    /// <summary>The commit the ref points to now (all zeros when the ref was deleted).</summary>
    public required string After { get; init; }

    /// <summary>True when the push created the ref.</summary>
    public bool Created { get; init; }

    /// <summary>True when the push deleted the ref.</summary>
    public bool Deleted { get; init; }

    /// <summary>True when the push was forced.</summary>
    public bool Forced { get; init; }

    /// <summary>The repository pushed to.</summary>
    public required GitHubRepository Repository { get; init; }

    /// <summary>Files added, modified or removed by the pushed commits and the head commit, distinct and ordinally sorted; empty when the payload lists none.</summary>
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>False when the payload may list only some changed files: GitHub caps the commits a delivery lists and the files each lists.</summary>
    public bool ChangedFilesComplete { get; init; } = true;

    /// <summary>The id of the head commit, when the payload has one.</summary>
    public string? HeadCommitId { get; init; }
}
