namespace Ferry.Core.Webhooks;

/// <summary>GitHub's <c>ping</c>, sent when a webhook is created.</summary>
public sealed record GitHubPing : GitHubEvent
{
    /// <summary>A random line of GitHub zen.</summary>
    public string? Zen { get; init; }

    /// <summary>The id of the webhook that sent the ping.</summary>
    public long? HookId { get; init; }

    /// <summary>The repository of a repository webhook (null for organisation webhooks).</summary>
    public GitHubRepository? Repository { get; init; }
}
