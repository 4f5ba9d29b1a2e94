using Ferry.Core.Status;

namespace Ferry.Core.Jobs;

/// <summary>What syncing an app at other revisions would change (a pull request's head, say), found without changing anything.</summary>
public sealed record AppPreview
{
    /// <summary>The app.</summary>
    public required string App { get; init; }

    /// <summary>The revision(s) rendered, comma-separated for several sources; empty when rendering did not get that far.</summary>
    public string Revision { get; init; } = string.Empty;

    /// <summary>The objects that would be created, changed or pruned, in plan order.</summary>
    public IReadOnlyList<ResourceStatus> Changed { get; init; } = [];

    /// <summary>The unified diff of those objects against the live cluster, Secret values masked.</summary>
    public string Diff { get; init; } = string.Empty;

    /// <summary>Why the preview failed (render, Git, chart, project or dry-run error); null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>The failure may pass on its own (Git or the cluster unreachable), so retrying the preview can help.</summary>
    public bool Transient { get; init; }
}
