using Ferry.Core.Kube;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>Prune: inventory minus desired, in reverse wave order, only what the tracking annotation confirms.</summary>
public sealed partial class SyncEngine
{
    private async Task<string?> PruneAsync(SyncRequest request, List<StaleObject> candidates, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        var waves = candidates.GroupBy(s => s.Wave).OrderByDescending(g => g.Key).ToList();
        for (var w = 0; w < waves.Count; w++)
        {
            var deleted = new List<StaleObject>();
            foreach (var s in waves[w].OrderByDescending(s => s.KindRank).ThenByDescending(s => s.Key))
            {
                s.Handled = true;
                var status = new ResourceStatus
                {
                    Group = s.Key.Group, Version = s.ApiVersion.Split('/')[^1], Kind = s.Key.Kind, Namespace = s.Key.Namespace, Name = s.Key.Name,
                    Status = SyncStatusCode.OutOfSync, Wave = s.Wave,
                };
                if (s.Error is not null)
                {
                    s.Survives = true;
                    Record(request, executed, status with { Action = ResourceAction.Failed, Message = $"prune check failed: {s.Error}" });
                    continue;
                }

                if (s.Live is null)
                {
                    continue;
                }

                var tracking = TrackingOf(s.Live);
                if (tracking != s.Key.ToTrackingId(request.AppName))
                {
                    // Not ours any more (another app took it over, or someone removed the annotation): forget it, never delete it.
                    Record(request, executed, status with { Action = ResourceAction.PruneSkipped, Message = tracking is null ? "not pruned: the tracking annotation is gone" : $"not pruned: tracked by {tracking}" });
                    continue;
                }

                if (!request.Prune || !s.Options.Prune)
                {
                    s.Survives = true;
                    Record(request, executed, status with { Action = ResourceAction.PruneSkipped, Message = !request.Prune ? "requires pruning (prune is off)" : "not pruned: Prune=false" });
                    continue;
                }

                try
                {
                    await kube.DeleteAsync(s.Resource!, s.Key.Namespace, s.Key.Name, new DeleteOptions
                    {
                        PropagationPolicy = request.Options.PropagationPolicyName,
                        PreconditionUid = (string?)s.Live["metadata"]?["uid"],
                    }, cancellationToken);
                    deleted.Add(s);
                    Record(request, executed, status with { Action = ResourceAction.Pruned, Status = SyncStatusCode.Synced, Message = $"pruned ({request.Options.PropagationPolicyName.ToLowerInvariant()})" });
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    s.Survives = true;
                    Record(request, executed, status with { Action = ResourceAction.Failed, Message = $"prune failed: {ex.Message}" });
                }
            }

            // A lower wave is pruned only once the higher wave's objects are gone.
            if (w < waves.Count - 1)
            {
                foreach (var s in deleted)
                {
                    if (await WaitGoneAsync(request, s.Resource!, s.Key, cancellationToken) is { } stuck)
                    {
                        return stuck;
                    }
                }
            }
        }

        return null;
    }
}
