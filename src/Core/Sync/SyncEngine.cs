using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Diff;
using Ferry.Core.Health;
using Ferry.Core.Inventory;
using Ferry.Core.Kube;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>
/// Brings a cluster to an app's desired manifests the way Argo CD's sync does, from outside the cluster:
/// plan (phase → wave → kind → name), read live state with one list per (resource, namespace), compare cheaply,
/// dry-run everything that may have drifted before mutating anything, apply only what drifted wave by wave
/// (each wave waits for the previous one to be healthy), run hooks, prune in reverse wave order, assess health.
/// </summary>
public sealed partial class SyncEngine(IKubeClient kube, Func<JsonObject, HealthStatus?> assessHealth, TimeProvider? time = null)
{
    /// <summary>From this many changed objects of one resource in one namespace, one list re-reads them instead of a get each.</summary>
    private const int RereadListThreshold = 4;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Runs one sync or comparison.</summary>
    public async Task<SyncResult> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        var warnings = new List<string>(request.Options.Unknown.Select(o => $"unknown sync option '{o}' ignored"));
        var clock = Stopwatch.StartNew();

        if (request.Manifests.Count == 0 && !request.AllowEmpty)
        {
            return Error(request, "the render produced no objects; refusing to sync because allowEmpty is off (nothing was applied or pruned)", stages);
        }

        // Plan.
        List<SyncTask> tasks;
        try
        {
            tasks = await PlanAsync(request, warnings, cancellationToken);
        }
        catch (SyncPlanException ex)
        {
            return Error(request, ex.Message, stages);
        }

        stages["plan"] = Lap(clock);

        // Live state: one list per (resource, namespace); hooks and prune candidates one by one.
        List<StaleObject> stale;
        try
        {
            await ReadLiveAsync(request, tasks, cancellationToken);
            stale = await ReadStaleAsync(request, tasks, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Error(request, $"reading live state failed: {ex.Message}", stages);
        }

        // Same rendered objects, same live resourceVersions, same spec as the last comparison: its result still holds.
        var fingerprint = request.ComparisonKey is null ? null : Fingerprint(request.ComparisonKey, tasks, stale);
        if (fingerprint is not null && fingerprint == request.UnchangedFingerprint)
        {
            stages["unchanged"] = Lap(clock);
            return new SyncResult
            {
                Phase = OperationPhase.Succeeded,
                Message = "unchanged since the last comparison",
                SyncStatus = SyncStatusCode.Synced,
                Inventory = request.Inventory,
                StageMilliseconds = stages,
                Fingerprint = fingerprint,
                Unchanged = true,
            };
        }

        foreach (var task in tasks.Where(t => !t.IsHook || t.ManagedNamespace))
        {
            task.Diff = ObjectDiffer.Compare(task.Desired, task.Live, request.Diff);
            if (task.IsHook)
            {
                continue;
            }

            if (task.Live is not null && task.Options.FailOnSharedResource
                && TrackingOf(task.Live) is { } owner && owner != task.Key.ToTrackingId(request.AppName))
            {
                return Error(request, $"{task.Key} is already managed by another app ({owner}) and FailOnSharedResource is set", stages);
            }

            if (task.Live is not null && task.Diff.Modified && task.Options.RespectIgnoreDifferences)
            {
                warnings.AddRange(IgnoredFields.KeepLive(task.Desired, task.Live, task.Key, request.Diff));
            }
        }

        stages["diff"] = Lap(clock);

        // Dry-run every suspected change before anything is mutated: one failure and nothing is applied.
        // Objects in a namespace this sync creates cannot be dry-run before it exists (gitops-engine skips them too).
        var creating = tasks.Where(t => t.Key is { Group: "", Kind: "Namespace" } && t.Live is null).Select(t => t.Key.Name).ToHashSet(StringComparer.Ordinal);
        var suspects = tasks.Where(NeedsApply).ToList();
        foreach (var task in suspects)
        {
            task.SkipDryRun = (task.Resource is { Namespaced: true } && creating.Contains(task.Key.Namespace))
                || task.GenerateName // a POST with generateName cannot be dry-run by server-side apply
                || (task.IsHook && task.Live is not null) // recreated after BeforeHookCreation deletes it; the old one's immutable fields would refuse the dry run
                || (task.Options is { Replace: true, Force: true } && task.Live is not null) // deleted and recreated, immutable fields included
                || (request is { DryRun: true, Live: not null } && task.Live is null && !task.IsHook); // a sweep only decides OutOfSync; a missing object is, and its own job dry-runs it
        }

        var dryRunFailures = new ConcurrentBag<SyncTask>();
        await ForEachAsync(suspects.Where(t => !t.PendingCrd && !t.SkipDryRun), request.Concurrency, async task =>
        {
            try
            {
                var answer = await kube.ApplyAsync(task.Desired, ApplyOptionsFor(task, dryRun: true), cancellationToken);
                if (!task.IsHook && task.Live is not null && ObjectDiffer.SameAsDryRun(answer, task.Live, request.Diff))
                {
                    task.Diff = DiffResult.Same;
                }

                task.Result = answer;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                task.Action = ResourceAction.Failed;
                task.Message = ex.Message;
                dryRunFailures.Add(task);
            }
        }, cancellationToken);
        stages["dryRun"] = Lap(clock);

        var diffText = BuildDiff(tasks, stale);
        if (!dryRunFailures.IsEmpty)
        {
            var first = dryRunFailures.OrderBy(t => t.Key).First();
            return Finish(request, tasks, stale, OperationPhase.Failed,
                $"dry run failed for {dryRunFailures.Count} object(s), nothing was applied: {first.Key} ({first.Manifest.Source}:{first.Manifest.Line}): {first.Message}",
                request.Inventory, diffText, stages, warnings, [.. dryRunFailures.OrderBy(t => t.Key).Select(t => t.ToStatus(SyncStatusCode.OutOfSync))]);
        }

        if (request.DryRun)
        {
            foreach (var task in tasks.Where(t => !t.IsHook))
            {
                task.Action = task.Diff.Modified ? ResourceAction.OutOfSync : ResourceAction.Unchanged;
                task.Health = task.Live is null ? new HealthStatus(HealthStatusCode.Missing) : assessHealth(task.Live);
            }

            foreach (var s in stale)
            {
                s.Survives = true;
            }

            return Finish(request, tasks, stale, OperationPhase.Succeeded, "compared; nothing applied (dry run)",
                request.Inventory, diffText, stages, warnings, [.. tasks.Where(t => !t.IsHook).Select(t => t.ToStatus(t.Diff.Modified ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced))]);
        }

        // Apply phase by phase, wave by wave; a wave starts when the previous one is healthy. Prune runs after the Sync
        // phase in reverse wave order; PruneLast candidates after everything else, PostSync hooks included, is healthy.
        var executed = new List<ResourceStatus>();
        var failure = await ExecuteAsync(request, tasks, stale, executed, cancellationToken);
        stages["apply"] = Lap(clock);

        if (failure is not null)
        {
            foreach (var s in stale.Where(s => !s.Handled))
            {
                s.Handled = true;
                s.Survives = s.Live is not null;
            }

            failure += await RunSyncFailHooksAsync(request, tasks, executed, cancellationToken);
        }

        stages["prune"] = Lap(clock);

        // What an apply answered predates the controllers' work; re-read the workloads that changed before judging health.
        await RereadChangedAsync(request, tasks.Where(t => !t.IsHook && t.Resource is not null && t.Result is not null && t.Action is ResourceAction.Created or ResourceAction.Configured && assessHealth(t.Result!) is not null), cancellationToken);
        foreach (var task in tasks.Where(t => !t.IsHook))
        {
            var live = task.Result ?? task.Live;
            task.Health = live is null ? new HealthStatus(HealthStatusCode.Missing) : assessHealth(live);
        }

        stages["health"] = Lap(clock);

        var applied = tasks.Where(t => !t.IsHook && (t.Action is ResourceAction.Created or ResourceAction.Configured or ResourceAction.Unchanged) && t.Resource is not null)
            .Select(t => (t.Key, t.Resource!.ApiVersion));
        var previous = new ResourceInventory(request.Inventory);
        var unapplied = tasks.Where(t => !t.IsHook && t.Action is ResourceAction.Failed or ResourceAction.Skipped && previous.Contains(t.Key))
            .Select(t => (t.Key, t.ApiVersion));
        var survivors = stale.Where(s => s.Survives).Select(s => (s.Key, s.ApiVersion)).ToList();
        var inventory = ResourceInventory.Next(applied.Concat(unapplied), survivors);
        var changed = executed.Count(r => r.Action is ResourceAction.Created or ResourceAction.Configured or ResourceAction.Pruned);
        var message = failure
            ?? (changed == 0 ? "everything already in sync; nothing applied" : $"applied {executed.Count(r => r.Action is ResourceAction.Created or ResourceAction.Configured)} and pruned {executed.Count(r => r.Action == ResourceAction.Pruned)} object(s)");
        return Finish(request, tasks, stale, failure is not null ? OperationPhase.Failed : OperationPhase.Succeeded, message, inventory, diffText, stages, warnings, executed);
    }

    /// <summary>Whether a task must be sent: drifted objects; hooks always (they run each sync); the managed namespace when missing or its metadata differs.</summary>
    private static bool NeedsApply(SyncTask task) => task.ManagedNamespace ? task.Diff.Modified : task.IsHook || task.Diff.Modified;

    private async Task<string?> ExecuteAsync(SyncRequest request, List<SyncTask> tasks, List<StaleObject> stale, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        var groups = tasks.Where(t => t.Phase != SyncPhase.SyncFail)
            .GroupBy(t => (t.Phase, t.Wave)).OrderBy(g => g.Key.Phase).ThenBy(g => g.Key.Wave)
            .Select(g => g.OrderBy(t => t.KindRank).ThenBy(t => t.Key).ToList()).ToList();
        var pruneLast = stale.Where(s => request.Options.PruneLast || s.Options.PruneLast).ToList();
        var pruneNow = stale.Except(pruneLast).ToList();
        List<SyncTask>? pending = null;
        var pruned = false;
        foreach (var group in groups)
        {
            if (!pruned && group[0].Phase == SyncPhase.PostSync)
            {
                pruned = true;
                if (await PruneAsync(request, pruneNow, executed, cancellationToken) is { } pruneFailure)
                {
                    return pruneFailure;
                }
            }

            if (pending is not null && await WaitHealthyAsync(request, pending, executed, cancellationToken) is { } waitFailure)
            {
                return waitFailure;
            }

            pending = group;
            if (await ApplyGroupAsync(request, group, executed, cancellationToken) is { } applyFailure)
            {
                return applyFailure;
            }
        }

        if (!pruned && await PruneAsync(request, pruneNow, executed, cancellationToken) is { } lateFailure)
        {
            return lateFailure;
        }

        // The last wave is waited for only when something depends on it: its own hooks, or PruneLast.
        if (pending is not null && (pending.Any(t => t.IsHook && !t.ManagedNamespace) || pruneLast.Count > 0)
            && await WaitHealthyAsync(request, pending, executed, cancellationToken) is { } lastFailure)
        {
            return lastFailure;
        }

        return await PruneAsync(request, pruneLast, executed, cancellationToken);
    }

    private async Task<string> RunSyncFailHooksAsync(SyncRequest request, List<SyncTask> tasks, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        var hooks = tasks.Where(t => t.Phase == SyncPhase.SyncFail).ToList();
        if (hooks.Count == 0)
        {
            return string.Empty;
        }

        foreach (var wave in hooks.GroupBy(t => t.Wave).OrderBy(g => g.Key).Select(g => g.OrderBy(t => t.KindRank).ThenBy(t => t.Key).ToList()))
        {
            var problem = await ApplyGroupAsync(request, wave, executed, cancellationToken)
                ?? await WaitHealthyAsync(request, wave, executed, cancellationToken);
            if (problem is not null)
            {
                return $"; SyncFail hooks failed too: {problem}";
            }
        }

        return $"; ran {hooks.Count} SyncFail hook(s)";
    }

    private static void Record(SyncRequest request, List<ResourceStatus> executed, ResourceStatus status)
    {
        executed.Add(status);
        request.Progress?.Report(status);
    }

    private static string? TrackingOf(JsonObject live) => (string?)live["metadata"]?["annotations"]?[Annotations.TrackingId];

    private static ApplyOptions ApplyOptionsFor(SyncTask task, bool dryRun) => new()
    {
        DryRun = dryRun,
        Force = true,
        FieldValidation = task.Options.Validate ? "Strict" : "Ignore",
    };

    private static string BuildDiff(List<SyncTask> tasks, List<StaleObject> stale)
    {
        var builder = new StringBuilder();
        foreach (var task in tasks.Where(t => !t.IsHook && t.Diff.Modified))
        {
            builder.Append(DiffRenderer.Unified(task.Key, task.Live, task.Result ?? task.Desired));
        }

        foreach (var s in stale.Where(s => s.Live is not null || s.Error is not null))
        {
            builder.Append("--- live/").Append(s.Key).Append("\n+++ git/(absent: to prune)\n");
        }

        return builder.ToString();
    }

    private SyncResult Finish(SyncRequest request, List<SyncTask> tasks, List<StaleObject> stale, OperationPhase phase, string message,
        IReadOnlyList<InventoryEntry> inventory, string diff, Dictionary<string, double> stages, List<string> warnings, IReadOnlyList<ResourceStatus> executed)
    {
        var resources = tasks.Where(t => !t.IsHook).Select(t => t.ToStatus(
            t.Action == ResourceAction.Failed || (t.Diff.Modified && t.Action is ResourceAction.Unchanged or ResourceAction.OutOfSync or ResourceAction.Skipped)
                ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced)).ToList();

        // Extraneous objects still in the cluster; IgnoreExtraneous keeps them from making the app OutOfSync, as in Argo CD.
        resources.AddRange(stale.Where(s => (s.Survives || !s.Handled) && (s.Live is not null || s.Error is not null)).Select(s => new ResourceStatus
        {
            Group = s.Key.Group, Version = s.ApiVersion.Split('/')[^1], Kind = s.Key.Kind, Namespace = s.Key.Namespace, Name = s.Key.Name,
            Status = s.IgnoreExtraneous ? SyncStatusCode.Synced : SyncStatusCode.OutOfSync,
            Action = ResourceAction.PruneSkipped,
            Message = s.IgnoreExtraneous ? "extraneous; ignored (IgnoreExtraneous)" : "requires pruning",
            Wave = s.Wave,
        }));
        var sync = resources.Any(r => r.Status == SyncStatusCode.OutOfSync) ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced;
        return new SyncResult
        {
            Phase = phase,
            Message = message,
            SyncStatus = sync,
            Health = HealthOf(tasks),
            Results = executed,
            Resources = resources,
            Inventory = inventory,
            Diff = diff,
            StageMilliseconds = stages,
            Warnings = warnings,
            Fingerprint = request.ComparisonKey is null ? null : Fingerprint(request.ComparisonKey, tasks, stale),
        };
    }

    /// <summary>A SHA-256 over the comparison key, every planned object as it would be sent, and the live object's uid and resourceVersion (or its absence).</summary>
    private static string Fingerprint(string comparisonKey, List<SyncTask> tasks, List<StaleObject> stale)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text ?? "\u0000"));
            hash.AppendData("\n"u8);
        }

        Add(comparisonKey);
        foreach (var task in tasks)
        {
            Add(task.Key.ToString());
            Add(task.Desired.ToJsonString());
            Add((string?)task.Live?["metadata"]?["uid"]);
            Add((string?)task.Live?["metadata"]?["resourceVersion"]);
        }

        foreach (var s in stale)
        {
            Add(s.Key.ToString());
            Add((string?)s.Live?["metadata"]?["resourceVersion"]);
            Add(s.Error);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static HealthStatus HealthOf(List<SyncTask> tasks)
    {
        var worst = HealthStatus.Healthy;
        foreach (var task in tasks.Where(t => !t.IsHook && t.Health is not null))
        {
            if (task.Health!.Status > worst.Status)
            {
                worst = task.Health with { Message = $"{task.Key}: {task.Health.Message ?? task.Health.Status.ToString()}" };
            }
        }

        return worst;
    }

    private static SyncResult Error(SyncRequest request, string message, Dictionary<string, double> stages) => new()
    {
        Phase = OperationPhase.Error,
        Message = message,
        SyncStatus = SyncStatusCode.Unknown,
        Inventory = request.Inventory,
        StageMilliseconds = stages,
    };

    private static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return ms;
    }

    private static Task ForEachAsync<T>(IEnumerable<T> items, int concurrency, Func<T, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken }, (item, _) => new ValueTask(body(item)));

    /// <summary>
    /// Re-reads changed objects: one list per (resource, namespace) where several changed, else one get each,
    /// so a large first sync costs a handful of reads rather than one per object.
    /// </summary>
    private async Task RereadChangedAsync(SyncRequest request, IEnumerable<SyncTask> changed, CancellationToken cancellationToken)
    {
        var groups = changed.GroupBy(t => (t.Resource!, t.Resource!.Namespaced ? t.Key.Namespace : string.Empty)).ToList();
        var singles = groups.Where(g => g.Count() < RereadListThreshold).SelectMany(g => g).ToList();
        var listed = groups.Where(g => g.Count() >= RereadListThreshold).ToList();
        await ForEachAsync(listed, request.Concurrency, async group =>
        {
            var (resource, ns) = group.Key;
            var items = await kube.ListAsync(resource, ns.Length == 0 ? null : ns, new ListOptions(), cancellationToken);
            var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if ((string?)item["metadata"]?["name"] is { } name)
                {
                    item["apiVersion"] ??= resource.ApiVersion;
                    item["kind"] ??= resource.Kind;
                    byName[name] = item;
                }
            }

            foreach (var task in group)
            {
                task.Result = byName.GetValueOrDefault(task.Key.Name) ?? task.Result;
            }
        }, cancellationToken);
        await ForEachAsync(singles, request.Concurrency,
            async task => task.Result = await kube.GetAsync(task.Resource!, task.Key.Namespace, task.Key.Name, cancellationToken) ?? task.Result, cancellationToken);
    }
}
