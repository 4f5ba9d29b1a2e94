using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>Applying one (phase, wave) group, hooks and their delete policies, and waiting for health.</summary>
public sealed partial class SyncEngine
{
    private const string BeforeHookCreation = "BeforeHookCreation";
    private const string HookSucceeded = "HookSucceeded";
    private const string HookFailed = "HookFailed";

    private static readonly DeleteOptions HookDelete = new() { PropagationPolicy = "Foreground" };

    private async Task<string?> ApplyGroupAsync(SyncRequest request, List<SyncTask> group, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        // A hook left from an earlier sync is deleted first (BeforeHookCreation, the default when no policy is given), and gone before it is created again.
        var replaced = group.Where(t => t.IsHook && !t.ManagedNamespace && t.Live is not null && t.Resource is not null && DeletePolicies(t).Contains(BeforeHookCreation)).ToList();
        foreach (var hook in replaced)
        {
            await kube.DeleteAsync(hook.Resource!, hook.Key.Namespace, hook.Key.Name, HookDelete, cancellationToken);
        }

        foreach (var hook in replaced)
        {
            if (await WaitGoneAsync(request, hook.Resource!, hook.Key, cancellationToken) is { } stuck)
            {
                return stuck;
            }

            hook.Live = null;
        }

        var todo = group.Where(NeedsApply).ToList();
        foreach (var task in group.Except(todo))
        {
            task.Action = ResourceAction.Unchanged;
        }

        var errors = new ConcurrentBag<SyncTask>();
        await ForEachAsync(todo, request.Concurrency, async task =>
        {
            try
            {
                if (task.PendingCrd)
                {
                    kube.InvalidateDiscovery();
                    task.Resource = await kube.ResolveAsync(task.ApiVersion, task.Key.Kind, cancellationToken);
                }

                task.Result = await ApplyOneAsync(request, task, cancellationToken);
                task.Action = task.Live is null ? ResourceAction.Created : ResourceAction.Configured;
                if (task.GenerateName)
                {
                    task.Key = ResourceKey.Of(task.Result);
                }

                if (task.Key is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" })
                {
                    kube.InvalidateDiscovery();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                task.Action = ResourceAction.Failed;
                task.Message = ex.Message;
                errors.Add(task);
            }
        }, cancellationToken);

        foreach (var task in group)
        {
            task.ResultIndex = executed.Count;
            Record(request, executed, task.ToStatus(task.Action == ResourceAction.Failed ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced));
        }

        if (errors.IsEmpty)
        {
            return null;
        }

        var first = errors.OrderBy(t => t.Key).First();
        return $"apply failed for {errors.Count} object(s): {first.Key}: {first.Message}";
    }

    /// <summary>Sends one object: POST for generateName hooks, PUT (or delete and create with Force) for Replace=true, server-side apply otherwise.</summary>
    private async Task<JsonObject> ApplyOneAsync(SyncRequest request, SyncTask task, CancellationToken cancellationToken)
    {
        var resource = task.Resource!;
        if (task.GenerateName)
        {
            return await kube.CreateAsync(resource, task.Key.Namespace, task.Desired, cancellationToken);
        }

        if (!task.Options.Replace || task.IsHook)
        {
            return await kube.ApplyAsync(task.Desired, ApplyOptionsFor(task, dryRun: false), cancellationToken);
        }

        if (task.Live is null)
        {
            return await kube.CreateAsync(resource, task.Key.Namespace, task.Desired, cancellationToken);
        }

        if (task.Options.Force)
        {
            await kube.DeleteAsync(resource, task.Key.Namespace, task.Key.Name, new DeleteOptions { PropagationPolicy = "Foreground", PreconditionUid = (string?)task.Live["metadata"]?["uid"] }, cancellationToken);
            if (await WaitGoneAsync(request, resource, task.Key, cancellationToken) is { } stuck)
            {
                throw new TimeoutException(stuck);
            }

            return await kube.CreateAsync(resource, task.Key.Namespace, task.Desired, cancellationToken);
        }

        // Conditional on the version that was compared, so a concurrent change is not silently overwritten.
        var body = (JsonObject)task.Desired.DeepClone();
        ((JsonObject)body["metadata"]!)["resourceVersion"] = (string?)task.Live["metadata"]?["resourceVersion"];
        return await kube.UpdateAsync(resource, task.Key.Namespace, body, cancellationToken);
    }

    /// <summary>Polls a group's objects until all are healthy (or have no health check); fails on Degraded or at the timeout. Updates their results.</summary>
    private async Task<string?> WaitHealthyAsync(SyncRequest request, List<SyncTask> group, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + request.WaveTimeout;
        var pending = group.Where(t => t.Resource is not null && t.Action != ResourceAction.Failed && !t.ManagedNamespace).ToList();
        try
        {
            while (true)
            {
                var waiting = new List<string>();
                foreach (var task in pending)
                {
                    var live = task.Result ?? task.Live;
                    var health = live is null ? new HealthStatus(HealthStatusCode.Missing, "not found") : assessHealth(live);
                    task.Health = health;
                    if (health is null || health.Status is HealthStatusCode.Healthy or HealthStatusCode.Suspended)
                    {
                        continue;
                    }

                    if (health.Status == HealthStatusCode.Degraded)
                    {
                        task.Message = health.Message;
                        if (task.IsHook)
                        {
                            await DeleteHooksAsync(group.Where(t => t == task), HookFailed, cancellationToken);
                            return $"{task.Phase} hook {task.Key} failed: {health.Message ?? "Degraded"}";
                        }

                        return $"{task.Key} is Degraded: {health.Message}";
                    }

                    waiting.Add($"{task.Key} ({health.Status})");
                }

                if (waiting.Count == 0)
                {
                    await DeleteHooksAsync(group, HookSucceeded, cancellationToken);
                    return null;
                }

                var wait = new SyncWait(group[0].Phase, group[0].Wave, pending.Count - waiting.Count, pending.Count, waiting);
                if (_time.GetUtcNow() >= deadline)
                {
                    return $"timed out after {request.WaveTimeout} {wait.Message}";
                }

                if (request.OnWaiting is { } onWaiting)
                {
                    await onWaiting(wait, cancellationToken);
                }

                await Task.Delay(request.PollInterval, _time, cancellationToken);
                foreach (var task in pending)
                {
                    task.Result = await kube.GetAsync(task.Resource!, task.Key.Namespace, task.Key.Name, cancellationToken);
                }
            }
        }
        finally
        {
            foreach (var task in group.Where(t => t.ResultIndex >= 0 && t.ResultIndex < executed.Count))
            {
                executed[task.ResultIndex] = task.ToStatus(task.Action == ResourceAction.Failed ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced);
            }
        }
    }

    private async Task DeleteHooksAsync(IEnumerable<SyncTask> hooks, string policy, CancellationToken cancellationToken)
    {
        foreach (var hook in hooks.Where(t => t.IsHook && !t.ManagedNamespace && t.Resource is not null && DeletePolicies(t).Contains(policy)))
        {
            await kube.DeleteAsync(hook.Resource!, hook.Key.Namespace, hook.Key.Name, HookDelete, cancellationToken);
            hook.Message = hook.Message is null ? $"deleted ({policy})" : $"{hook.Message}; deleted ({policy})";
        }
    }

    /// <summary>Polls until an object is gone (foreground deletion waits for dependents); a message when it outlives the wave timeout.</summary>
    private async Task<string?> WaitGoneAsync(SyncRequest request, ApiResource resource, ResourceKey key, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + request.WaveTimeout;
        while (await kube.GetAsync(resource, key.Namespace, key.Name, cancellationToken) is not null)
        {
            if (_time.GetUtcNow() >= deadline)
            {
                return $"timed out after {request.WaveTimeout} waiting for {key} to be deleted";
            }

            await Task.Delay(request.PollInterval, _time, cancellationToken);
        }

        return null;
    }

    /// <summary>A hook's delete policies; BeforeHookCreation when it names none, as in Argo CD.</summary>
    private static HashSet<string> DeletePolicies(SyncTask hook)
    {
        var text = (string?)hook.Desired["metadata"]?["annotations"]?[Annotations.HookDeletePolicy];
        var policies = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (policies.Count == 0)
        {
            policies.Add(BeforeHookCreation);
        }

        return policies;
    }
}
