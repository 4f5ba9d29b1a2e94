using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Core.Live;

/// <summary>One object of an app as the cluster has it now (Secret values masked) and its diff from the app's last comparison with Git.</summary>
public sealed record LiveResource
{
    /// <summary>The node in the app's tree: identity, uid, health and sync status.</summary>
    public required ResourceNode Node { get; init; }

    /// <summary>The live object without managedFields, Secret values masked; null when it does not exist.</summary>
    public JsonObject? Manifest { get; init; }

    /// <summary>The unified diff live → Git of the app's last comparison for this object; empty when it matched (or the app does not manage it).</summary>
    public string Diff { get; init; } = string.Empty;

    /// <summary>When the last comparison ran; null when the app was never compared.</summary>
    public DateTimeOffset? ComparedAt { get; init; }

    /// <summary>The object's sync status as the last comparison found it; null for objects the app does not manage.</summary>
    public SyncStatusCode? Status => Node.Status;

    /// <summary>The live object's health.</summary>
    public HealthStatus? Health => Node.Health;
}
