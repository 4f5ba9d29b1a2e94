namespace Ferry.Core.Webhooks;

/// <summary>GitHub's <c>pull_request</c>: a pull request was opened, updated (<c>synchronize</c>), reopened, or had another action.</summary>
public sealed record GitHubPullRequest : GitHubEvent
{
    /// <summary>The action: <c>opened</c>, <c>synchronize</c>, <c>reopened</c>, <c>closed</c>, <c>labeled</c> …</summary>
    public required string Action { get; init; }

    /// <summary>The pull request's number.</summary>
    public required int Number { get; init; }

    /// <summary>The head commit (what the pull request would merge).</summary>
    public required string HeadSha { get; init; }

    /// <summary>The branch the pull request targets, such as <c>main</c>.</summary>
    public required string BaseRef { get; init; }

    /// <summary>The repository the pull request targets (where its checks are reported); a fork's head is fetched from here as <c>refs/pull/N/head</c>.</summary>
    public required GitHubRepository Repository { get; init; }
}
