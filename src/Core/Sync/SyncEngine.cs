using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Diff;
using Ferry.Core.Health;
using Ferry.Core.Inventory;
using Ferry.Core.Kube;
using Ferry.Core.Resources;
using Ferry.Core.Status;

namespace Ferry.Core.Sync;

/// <summary>
/// Brings a cluster to an app's desired manifests the way Argo CD's sync does, from outside the cluster:
/// plan (phase → wave → kind → name), read live state with one list per (resource, namespace), compare cheaply,
/// dry-run everything that may have drifted before mutating anything, apply only what drifted, prune, assess health.
/// </summary>
public sealed class SyncEngine(IKubeClient kube, Func<JsonObject, HealthStatus?> assessHealth, TimeProvider? time = null)
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

        // Live state: one list per (resource, namespace).
        try
        {
            await ReadLiveAsync(request, tasks, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Error(request, $"reading live state failed: {ex.Message}", stages);
        }

        foreach (var task in tasks.Where(t => !t.IsHook))
        {
            task.Diff = ObjectDiffer.Compare(task.Desired, task.Live, request.Diff);
            if (task.Live is not null && (request.Options.FailOnSharedResource || task.Options.FailOnSharedResource)
                && TrackingOf(task.Live) is { } owner && owner != task.Key.ToTrackingId(request.AppName))
            {
                return Error(request, $"{task.Key} is already managed by another app ({owner}) and FailOnSharedResource is set", stages);
            }
        }

        stages["diff"] = Lap(clock);

        // Dry-run every suspected change before anything is mutated: one failure and nothing is applied.
        // Objects in a namespace this sync creates cannot be dry-run before it exists (gitops-engine skips them too).
        var creating = tasks.Where(t => t.Key is { Group: "", Kind: "Namespace" } && t.Live is null).Select(t => t.Key.Name).ToHashSet(StringComparer.Ordinal);
        var suspects = tasks.Where(t => t.IsHook ? !IsExistingNamespace(t) : t.Diff.Modified).ToList();
        foreach (var task in suspects.Where(t => t.Resource is { Namespaced: true } && creating.Contains(t.Key.Namespace)))
        {
            task.SkipDryRun = true;
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

        var stale = StaleObjects(request, tasks);
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

            return Finish(request, tasks.Where(t => !t.IsHook).ToList(), stale, OperationPhase.Succeeded, "compared; nothing applied (dry run)",
                request.Inventory, diffText, stages, warnings, [.. tasks.Where(t => !t.IsHook).Select(t => t.ToStatus(t.Diff.Modified ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced))]);
        }

        // Apply phase by phase, wave by wave; a wave starts when the previous one is healthy.
        var executed = new List<ResourceStatus>();
        var failed = false;
        string? failure = null;
        var groups = tasks.Where(t => t.Phase != SyncPhase.SyncFail)
            .GroupBy(t => (t.Phase, t.Wave)).OrderBy(g => g.Key.Phase).ThenBy(g => g.Key.Wave).ToList();
        for (var g = 0; g < groups.Count && !failed; g++)
        {
            var group = groups[g].OrderBy(t => t.KindRank).ThenBy(t => t.Key).ToList();
            failure = await ApplyGroupAsync(request, group, executed, cancellationToken);
            failed = failure is not null;
            if (!failed && (g < groups.Count - 1 || group.Any(t => t.IsHook)))
            {
                failure = await WaitHealthyAsync(request, group, cancellationToken);
                failed = failure is not null;
            }
        }

        stages["apply"] = Lap(clock);

        // Prune: inventory minus desired, reverse order, only what the tracking annotation confirms.
        var survivors = new List<(ResourceKey, string)>();
        if (!failed)
        {
            survivors.AddRange(await PruneAsync(request, stale, executed, cancellationToken));
        }
        else
        {
            survivors.AddRange(stale.Select(s => (s.Key, s.ApiVersion)));
            foreach (var hook in tasks.Where(t => t.Phase == SyncPhase.SyncFail).OrderBy(t => t.Wave).ThenBy(t => t.KindRank).ThenBy(t => t.Key))
            {
                await ApplyGroupAsync(request, [hook], executed, cancellationToken);
            }
        }

        stages["prune"] = Lap(clock);

        // What an apply answered predates the controllers' work; re-read the workloads that changed before judging health.
        await RereadChangedAsync(request, tasks.Where(t => !t.IsHook && t.Resource is not null && t.Result is not null && t.Action is ResourceAction.Created or ResourceAction.Configured && assessHealth(t.Result!) is not null), cancellationToken);
        foreach (var task in tasks.Where(t => !t.IsHook && t.Health is null))
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
        var inventory = ResourceInventory.Next(applied.Concat(unapplied), survivors);
        var changed = executed.Count(r => r.Action is ResourceAction.Created or ResourceAction.Configured or ResourceAction.Pruned);
        var message = failed
            ? failure!
            : changed == 0 ? "everything already in sync; nothing applied" : $"applied {executed.Count(r => r.Action is ResourceAction.Created or ResourceAction.Configured)} and pruned {executed.Count(r => r.Action == ResourceAction.Pruned)} object(s)";
        return Finish(request, tasks.Where(t => !t.IsHook).ToList(), survivors.Count > 0 ? stale.Where(s => survivors.Contains((s.Key, s.ApiVersion))).ToList() : [],
            failed ? OperationPhase.Failed : OperationPhase.Succeeded, message, inventory, diffText, stages, warnings, executed);
    }

    private async Task<List<SyncTask>> PlanAsync(SyncRequest request, List<string> warnings, CancellationToken cancellationToken)
    {
        var tasks = new List<SyncTask>();
        var crdKinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var manifest in request.Manifests.Where(m => m.Key is { Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition" }))
        {
            var spec = manifest.Object["spec"];
            var group = (string?)spec?["group"];
            var kind = (string?)spec?["names"]?["kind"];
            if (group is not null && kind is not null)
            {
                crdKinds.Add($"{group}/{kind}");
            }
        }

        var seen = new Dictionary<ResourceKey, Manifest>();
        foreach (var manifest in request.Manifests)
        {
            var desired = (JsonObject)manifest.Object.DeepClone();
            var metadata = desired["metadata"] as JsonObject ?? throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: object has no metadata");
            if (string.IsNullOrEmpty((string?)metadata["name"]))
            {
                throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {desired["kind"]} has no metadata.name");
            }

            var annotations = metadata["annotations"] as JsonObject;
            var hookValue = (string?)annotations?[Annotations.Hook];
            var (phase, isHook) = ParseHook(hookValue, manifest);
            if (hookValue is not null && hookValue.Split(',').Any(h => h.Trim() == "Skip"))
            {
                continue;
            }

            var wave = 0;
            if ((string?)annotations?[Annotations.SyncWave] is { } waveText && !int.TryParse(waveText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out wave))
            {
                throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: annotation {Annotations.SyncWave} '{waveText}' is not an integer");
            }

            var options = (string?)annotations?[Annotations.SyncOptions] is { } objectOptions
                ? SyncOptionSet.Parse([objectOptions], request.Options)
                : request.Options;

            var task = new SyncTask(manifest, desired, phase, isHook, wave, options);
            var apiVersion = task.ApiVersion;
            try
            {
                task.Resource = await kube.ResolveAsync(apiVersion, task.Key.Kind, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && IsUnknownKind(ex))
            {
                var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : string.Empty;
                if (!crdKinds.Contains($"{group}/{task.Key.Kind}") && !options.SkipDryRunOnMissingResource)
                {
                    throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {ex.Message}");
                }

                task.PendingCrd = true;
            }

            // Namespaced objects without a namespace go to the destination; cluster-scoped ones never carry one.
            if (task.Resource is { Namespaced: false })
            {
                metadata.Remove("namespace");
            }
            else if (string.IsNullOrEmpty((string?)metadata["namespace"]))
            {
                if (string.IsNullOrEmpty(request.DestinationNamespace) && task.Resource is not null)
                {
                    throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {task.Key.Kind} {task.Key.Name} is namespaced but neither it nor the app's destination names a namespace");
                }

                if (!string.IsNullOrEmpty(request.DestinationNamespace))
                {
                    metadata["namespace"] = request.DestinationNamespace;
                }
            }

            task.Key = ResourceKey.Of(desired);
            if (!isHook)
            {
                annotations ??= [];
                metadata["annotations"] = annotations;
                annotations[Annotations.TrackingId] = task.Key.ToTrackingId(request.AppName);
            }

            if (request.Policy?.Invoke(task.Key, task.Resource?.Namespaced ?? true) is { } violation)
            {
                throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {violation}");
            }

            if (!isHook && !seen.TryAdd(task.Key, manifest))
            {
                var first = seen[task.Key];
                throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {task.Key} is defined twice (first at {first.Source}:{first.Line})");
            }

            tasks.Add(task);
        }

        if (request.Options.CreateNamespace && !string.IsNullOrEmpty(request.DestinationNamespace)
            && !tasks.Any(t => t.Key is { Group: "", Kind: "Namespace" } && t.Key.Name == request.DestinationNamespace))
        {
            var ns = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = request.DestinationNamespace },
            };
            var task = new SyncTask(new Manifest(ns, "(CreateNamespace=true)", 0), ns, SyncPhase.PreSync, isHook: true, wave: int.MinValue, request.Options)
            {
                Resource = await kube.ResolveAsync("v1", "Namespace", cancellationToken),
            };
            tasks.Add(task);
        }

        tasks.Sort((a, b) =>
        {
            var c = a.Phase.CompareTo(b.Phase);
            if (c == 0) c = a.Wave.CompareTo(b.Wave);
            if (c == 0) c = a.KindRank.CompareTo(b.KindRank);
            if (c == 0) c = a.Key.CompareTo(b.Key);
            return c;
        });
        return tasks;
    }

    private static (SyncPhase Phase, bool IsHook) ParseHook(string? value, Manifest manifest)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return (SyncPhase.Sync, false);
        }

        var first = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(h => h != "Skip");
        return first switch
        {
            null => (SyncPhase.Sync, false),
            "PreSync" => (SyncPhase.PreSync, true),
            "Sync" => (SyncPhase.Sync, true),
            "PostSync" => (SyncPhase.PostSync, true),
            "SyncFail" => (SyncPhase.SyncFail, true),
            _ => throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: unknown hook '{first}' (PreSync, Sync, PostSync, SyncFail or Skip)"),
        };
    }

    /// <summary>CreateNamespace's namespace when it already exists: nothing to do, not even a dry run.</summary>
    private static bool IsExistingNamespace(SyncTask task) => task.Key is { Group: "", Kind: "Namespace" } && task.Live is not null;

    private static bool IsUnknownKind(Exception ex) =>
        ex.GetType().Name.Contains("UnknownKind", StringComparison.Ordinal) || ex is KeyNotFoundException;

    private async Task ReadLiveAsync(SyncRequest request, List<SyncTask> tasks, CancellationToken cancellationToken)
    {
        var wanted = tasks.Where(t => t.Resource is not null && !t.IsHook).GroupBy(t => (t.Resource!, t.Resource!.Namespaced ? t.Key.Namespace : string.Empty)).ToList();
        var live = new ConcurrentDictionary<ResourceKey, JsonObject>();
        await ForEachAsync(wanted, request.Concurrency, async group =>
        {
            var (resource, ns) = group.Key;
            var items = await kube.ListAsync(resource, ns.Length == 0 ? null : ns, new ListOptions(), cancellationToken);
            foreach (var item in items)
            {
                item["apiVersion"] ??= resource.ApiVersion;
                item["kind"] ??= resource.Kind;
                live[ResourceKey.Of(item)] = item;
            }
        }, cancellationToken);

        foreach (var task in tasks)
        {
            task.Live = live.GetValueOrDefault(task.Key);
        }

        // Hooks are recreated each run, so only their current state matters; read them one by one.
        foreach (var hook in tasks.Where(t => t.IsHook && t.Resource is not null))
        {
            hook.Live = await kube.GetAsync(hook.Resource!, hook.Key.Namespace, hook.Key.Name, cancellationToken);
        }
    }

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

    private List<(ResourceKey Key, string ApiVersion)> StaleObjects(SyncRequest request, List<SyncTask> tasks) =>
        [.. new ResourceInventory(request.Inventory).Stale(tasks.Where(t => !t.IsHook).Select(t => t.Key))];

    private async Task<string?> ApplyGroupAsync(SyncRequest request, List<SyncTask> group, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        // Hooks that already exist are deleted first (BeforeHookCreation, Argo's default).
        foreach (var hook in group.Where(t => t.IsHook && t.Live is not null && t.Key.Kind != "Namespace"))
        {
            var policy = (string?)hook.Desired["metadata"]?["annotations"]?[Annotations.HookDeletePolicy] ?? "BeforeHookCreation";
            if (policy.Contains("BeforeHookCreation", StringComparison.Ordinal) && hook.Resource is not null)
            {
                await kube.DeleteAsync(hook.Resource, hook.Key.Namespace, hook.Key.Name, new DeleteOptions { PropagationPolicy = "Foreground" }, cancellationToken);
                hook.Live = null;
            }
        }

        var todo = group.Where(t => t.IsHook ? !IsExistingNamespace(t) : t.Diff.Modified).ToList();
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

                task.Result = await kube.ApplyAsync(task.Desired, ApplyOptionsFor(task, dryRun: false), cancellationToken);
                task.Action = task.Live is null ? ResourceAction.Created : ResourceAction.Configured;
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
            var status = task.ToStatus(task.Action == ResourceAction.Failed ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced);
            executed.Add(status);
            request.Progress?.Report(status);
        }

        if (errors.IsEmpty)
        {
            return null;
        }

        var first = errors.OrderBy(t => t.Key).First();
        return $"apply failed for {errors.Count} object(s): {first.Key}: {first.Message}";
    }

    private async Task<string?> WaitHealthyAsync(SyncRequest request, List<SyncTask> group, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + request.WaveTimeout;
        var pending = group.Where(t => t.Resource is not null && t.Action != ResourceAction.Failed).ToList();
        while (true)
        {
            var waiting = new List<string>();
            foreach (var task in pending)
            {
                var live = task.Result ?? task.Live;
                var health = live is null ? new HealthStatus(HealthStatusCode.Missing) : assessHealth(live);
                task.Health = health;
                if (health is null || health.Status is HealthStatusCode.Healthy or HealthStatusCode.Suspended)
                {
                    continue;
                }

                if (health.Status == HealthStatusCode.Degraded)
                {
                    return $"{(task.IsHook ? $"{task.Phase} hook " : string.Empty)}{task.Key} is Degraded: {health.Message}";
                }

                waiting.Add(task.Key.ToString());
            }

            if (waiting.Count == 0)
            {
                foreach (var hook in group.Where(t => t.IsHook && t.Resource is not null && t.Key.Kind != "Namespace"))
                {
                    var policy = (string?)hook.Desired["metadata"]?["annotations"]?[Annotations.HookDeletePolicy] ?? string.Empty;
                    if (policy.Contains("HookSucceeded", StringComparison.Ordinal))
                    {
                        await kube.DeleteAsync(hook.Resource!, hook.Key.Namespace, hook.Key.Name, new DeleteOptions { PropagationPolicy = "Foreground" }, cancellationToken);
                    }
                }

                return null;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return $"timed out waiting for {waiting.Count}/{pending.Count} object(s) of wave {group[0].Wave} to become healthy: {string.Join(", ", waiting.Take(5))}";
            }

            await Task.Delay(request.PollInterval, _time, cancellationToken);
            foreach (var task in pending)
            {
                task.Result = await kube.GetAsync(task.Resource!, task.Key.Namespace, task.Key.Name, cancellationToken);
            }
        }
    }

    private async Task<List<(ResourceKey, string)>> PruneAsync(SyncRequest request, List<(ResourceKey Key, string ApiVersion)> stale, List<ResourceStatus> executed, CancellationToken cancellationToken)
    {
        var survivors = new List<(ResourceKey, string)>();
        var ordered = stale.OrderByDescending(s => KindOrder.Of(s.Key.Kind)).ThenByDescending(s => s.Key).ToList();
        foreach (var (key, apiVersion) in ordered)
        {
            var status = new ResourceStatus { Group = key.Group, Version = apiVersion.Split('/')[^1], Kind = key.Kind, Namespace = key.Namespace, Name = key.Name, Status = SyncStatusCode.OutOfSync };
            ApiResource resource;
            JsonObject? live;
            try
            {
                resource = await kube.ResolveAsync(apiVersion, key.Kind, cancellationToken);
                live = await kube.GetAsync(resource, key.Namespace, key.Name, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                survivors.Add((key, apiVersion));
                Record(request, executed, status with { Action = ResourceAction.Failed, Message = $"prune check failed: {ex.Message}" });
                continue;
            }

            if (live is null)
            {
                continue;
            }

            var tracking = TrackingOf(live);
            var objectOptions = (string?)live["metadata"]?["annotations"]?[Annotations.SyncOptions] is { } o ? SyncOptionSet.Parse([o]) : new SyncOptionSet();
            if (tracking != key.ToTrackingId(request.AppName))
            {
                // Not ours any more (another app took it over, or someone removed the annotation): forget it, never delete it.
                Record(request, executed, status with { Action = ResourceAction.PruneSkipped, Message = tracking is null ? "not pruned: the tracking annotation is gone" : $"not pruned: tracked by {tracking}" });
                continue;
            }

            if (!request.Prune || !objectOptions.Prune)
            {
                survivors.Add((key, apiVersion));
                Record(request, executed, status with { Action = ResourceAction.PruneSkipped, Message = !request.Prune ? "requires pruning (prune is off)" : "not pruned: Prune=false" });
                continue;
            }

            try
            {
                await kube.DeleteAsync(resource, key.Namespace, key.Name, new DeleteOptions
                {
                    PropagationPolicy = request.Options.PropagationPolicyName,
                    PreconditionUid = (string?)live["metadata"]?["uid"],
                }, cancellationToken);
                Record(request, executed, status with { Action = ResourceAction.Pruned, Status = SyncStatusCode.Synced });
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                survivors.Add((key, apiVersion));
                Record(request, executed, status with { Action = ResourceAction.Failed, Message = $"prune failed: {ex.Message}" });
            }
        }

        return survivors;
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

    private static string BuildDiff(List<SyncTask> tasks, List<(ResourceKey Key, string ApiVersion)> stale)
    {
        var builder = new StringBuilder();
        foreach (var task in tasks.Where(t => !t.IsHook && t.Diff.Modified))
        {
            builder.Append(DiffRenderer.Unified(task.Key, task.Live, task.Result ?? task.Desired));
        }

        foreach (var (key, _) in stale)
        {
            builder.Append("--- live/").Append(key).Append("\n+++ git/(absent: to prune)\n");
        }

        return builder.ToString();
    }

    private SyncResult Finish(SyncRequest request, List<SyncTask> tasks, List<(ResourceKey Key, string ApiVersion)> stale, OperationPhase phase, string message,
        IReadOnlyList<InventoryEntry> inventory, string diff, Dictionary<string, double> stages, List<string> warnings, IReadOnlyList<ResourceStatus> executed)
    {
        var resources = tasks.Where(t => !t.IsHook).Select(t => t.ToStatus(
            t.Action == ResourceAction.Failed || (t.Diff.Modified && t.Action is ResourceAction.Unchanged or ResourceAction.OutOfSync or ResourceAction.Skipped)
                ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced)).ToList();
        resources.AddRange(stale.Select(s => new ResourceStatus
        {
            Group = s.Key.Group, Version = s.ApiVersion.Split('/')[^1], Kind = s.Key.Kind, Namespace = s.Key.Namespace, Name = s.Key.Name,
            Status = SyncStatusCode.OutOfSync, Action = ResourceAction.PruneSkipped, Message = "requires pruning",
        }));
        var sync = resources.Any(r => r.Status == SyncStatusCode.OutOfSync) ? SyncStatusCode.OutOfSync : SyncStatusCode.Synced;
        var health = HealthOf(tasks);
        return new SyncResult
        {
            Phase = phase,
            Message = message,
            SyncStatus = sync,
            Health = health,
            Results = executed,
            Resources = resources,
            Inventory = inventory,
            Diff = diff,
            StageMilliseconds = stages,
            Warnings = warnings,
        };
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

    private SyncResult Error(SyncRequest request, string message, Dictionary<string, double> stages) => new()
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
}
