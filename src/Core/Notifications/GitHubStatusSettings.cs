namespace Ferry.Core.Notifications;

/// <summary>Where and how Ferry posts GitHub commit statuses (<c>ferry/&lt;app&gt;</c>: pending → success/failure).</summary>
public sealed record GitHubStatusSettings
{
    /// <summary>A token allowed to write commit statuses (a secret).</summary>
    public required string Token { get; init; }

    /// <summary>The REST API root; GitHub Enterprise Server uses <c>https://host/api/v3</c>.</summary>
    public Uri ApiUrl { get; init; } = new("https://api.github.com/");

    /// <summary>The Git host whose repositories get statuses (apps from other hosts are left alone).</summary>
    public string Host { get; init; } = "github.com";

    /// <summary>A link for the status, with <c>{app}</c> replaced by the app's name; none when null.</summary>
    public string? TargetUrl { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"GitHub statuses via {ApiUrl} for {Host}";
}
