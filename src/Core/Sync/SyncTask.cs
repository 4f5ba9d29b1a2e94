using System.Text.Json.Nodes;
using Ferry.Core.Diff;
using Ferry.Core.Health;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>One object's step in a sync: what to apply, where it sits in the order, and what happened.</summary>
internal sealed class SyncTask(Manifest manifest, JsonObject desired, SyncPhase phase, bool isHook, int wave, SyncOptionSet options)
{
    public Manifest Manifest { get; } = manifest;

    public JsonObject Desired { get; } = desired;

    public ResourceKey Key { get; set; } = ResourceKey.Of(desired);

    public SyncPhase Phase { get; } = phase;

    public bool IsHook { get; } = isHook;

    public int Wave { get; } = wave;

    public SyncOptionSet Options { get; } = options;

    public ApiResource? Resource { get; set; }

    public bool PendingCrd { get; set; }

    public bool SkipDryRun { get; set; }

    /// <summary>A hook named by <c>metadata.generateName</c>: created with POST, its name known only afterwards.</summary>
    public bool GenerateName { get; init; }

    /// <summary>The namespace CreateNamespace=true manages (not a manifest).</summary>
    public bool ManagedNamespace { get; init; }

    /// <summary>Where this task's entry sits in the sync's results, so a later health check can update it.</summary>
    public int ResultIndex { get; set; } = -1;

    public JsonObject? Live { get; set; }

    public DiffResult Diff { get; set; } = DiffResult.Same;

    public JsonObject? Result { get; set; }

    public ResourceAction Action { get; set; } = ResourceAction.Unchanged;

    public string? Message { get; set; }

    public HealthStatus? Health { get; set; }

    public string ApiVersion => (string?)Desired["apiVersion"] ?? string.Empty;

    public int KindRank => KindOrder.Of(Key.Kind);

    public ResourceStatus ToStatus(SyncStatusCode sync) => new()
    {
        Group = Key.Group,
        Version = Resource?.Version ?? ApiVersion.Split('/')[^1],
        Kind = Key.Kind,
        Namespace = Key.Namespace,
        Name = Key.Name,
        Status = sync,
        Action = Action,
        Health = Health?.Status,
        Message = Message ?? Health?.Message,
        HookPhase = IsHook ? Phase.ToString() : null,
        Wave = ManagedNamespace ? 0 : Wave, // it runs before every wave, but int.MinValue means nothing to a reader
    };
}
