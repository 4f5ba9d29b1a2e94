namespace Ferry.Core.Webhooks;

/// <summary>The repository a GitHub event is about, with every URL form GitHub gives for it.</summary>
public sealed record GitHubRepository
{
    /// <summary>The owner/name pair, such as <c>octo-org/shop</c>.</summary>
    public string? FullName { get; init; }

    /// <summary>The web address, <c>https://github.com/octo-org/shop</c>.</summary>
    public string? HtmlUrl { get; init; }

    /// <summary>The HTTPS clone address, ending in <c>.git</c>.</summary>
    public string? CloneUrl { get; init; }

    /// <summary>The scp-like SSH address, <c>git@github.com:octo-org/shop.git</c>.</summary>
    public string? SshUrl { get; init; }

    /// <summary>The <c>git://</c> address.</summary>
    public string? GitUrl { get; init; }

    /// <summary>The branch <c>HEAD</c> points to, such as <c>main</c>.</summary>
    public string? DefaultBranch { get; init; }

    /// <summary>The non-empty URLs above, in the order html, clone, ssh, git.</summary>
    public IReadOnlyList<string> Urls =>
        [.. new[] { HtmlUrl, CloneUrl, SshUrl, GitUrl }.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!)];
}
