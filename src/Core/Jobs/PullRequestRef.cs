namespace Ferry.Core.Jobs;

/// <summary>The pull request a preview job is for: where it lives, what it targets, and the head commit to render.</summary>
public sealed record PullRequestRef
{
    /// <summary>The repository's <c>owner/name</c> (where the check run goes).</summary>
    public required string Repository { get; init; }

    /// <summary>The repository's web URL, matched against the apps' repoURLs.</summary>
    public required string RepoUrl { get; init; }

    /// <summary>The pull request's number.</summary>
    public required int Number { get; init; }

    /// <summary>The head commit to render.</summary>
    public required string HeadSha { get; init; }

    /// <summary>The branch the pull request targets.</summary>
    public required string BaseRef { get; init; }

    /// <summary>The repository's default branch, for apps whose targetRevision is <c>HEAD</c>; null when the delivery did not say.</summary>
    public string? DefaultBranch { get; init; }
}
