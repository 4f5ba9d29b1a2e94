using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Core.Inventory;
using Ferry.Core.Kube;
using Ferry.Core.Resources;

namespace Ferry.Core.Sync;

/// <summary>Planning and reading live state.</summary>
public sealed partial class SyncEngine
{
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
            var metadata = manifest.Object["metadata"] as JsonObject ?? throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: object has no metadata");
            var annotations = metadata["annotations"] as JsonObject;
            var phases = ParseHook((string?)annotations?[Annotations.Hook], manifest);
            if (phases is null)
            {
                continue;
            }

            if (phases.Count == 0)
            {
                warnings.Add($"{manifest.Source}:{manifest.Line}: {manifest.Object["kind"]} {metadata["name"] ?? metadata["generateName"]} is a PostDelete hook; Ferry never deletes apps, so it is not run");
                continue;
            }

            var isHook = phases[0] is not null;
            var generateName = (string?)metadata["generateName"];
            if (string.IsNullOrEmpty((string?)metadata["name"]) && !(isHook && !string.IsNullOrEmpty(generateName)))
            {
                throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {manifest.Object["kind"]} has no metadata.name{(string.IsNullOrEmpty(generateName) ? string.Empty : " (metadata.generateName is only supported on hooks)")}");
            }

            var wave = 0;
            if ((string?)annotations?[Annotations.SyncWave] is { } waveText && !int.TryParse(waveText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out wave))
            {
                throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: annotation {Annotations.SyncWave} '{waveText}' is not an integer");
            }

            var options = (string?)annotations?[Annotations.SyncOptions] is { } objectOptions
                ? SyncOptionSet.Parse([objectOptions], request.Options)
                : request.Options;
            foreach (var unknown in options.Unknown.Except(request.Options.Unknown))
            {
                warnings.Add($"{manifest.Source}:{manifest.Line}: unknown sync option '{unknown}' ignored");
            }

            // A hook with several phases (PreSync,PostSync) runs once in each.
            foreach (var phase in phases)
            {
                var task = await PlanOneAsync(request, manifest, (JsonObject)manifest.Object.DeepClone(), phase ?? SyncPhase.Sync, isHook, wave, options, crdKinds, cancellationToken);
                if (!isHook && !seen.TryAdd(task.Key, manifest))
                {
                    var first = seen[task.Key];
                    throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {task.Key} is defined twice (first at {first.Source}:{first.Line})");
                }

                tasks.Add(task);
            }
        }

        if (request.Options.CreateNamespace && !string.IsNullOrEmpty(request.DestinationNamespace)
            && !tasks.Any(t => t.Key is { Group: "", Kind: "Namespace" } && t.Key.Name == request.DestinationNamespace))
        {
            tasks.Add(await ManagedNamespaceAsync(request, cancellationToken));
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

    private async Task<SyncTask> PlanOneAsync(SyncRequest request, Manifest manifest, JsonObject desired, SyncPhase phase, bool isHook, int wave, SyncOptionSet options,
        HashSet<string> crdKinds, CancellationToken cancellationToken)
    {
        var metadata = (JsonObject)desired["metadata"]!;
        var generateName = string.IsNullOrEmpty((string?)metadata["name"]);
        var task = new SyncTask(manifest, desired, phase, isHook, wave, options) { GenerateName = generateName };
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
        if (generateName)
        {
            // Shown as the prefix until the server names it.
            task.Key = task.Key with { Name = (string?)metadata["generateName"] ?? string.Empty };
        }

        // Hooks are not tracked: they are not part of the app's inventory or drift.
        if (!isHook)
        {
            var annotations = metadata["annotations"] as JsonObject ?? [];
            metadata["annotations"] = annotations;
            annotations[Annotations.TrackingId] = task.Key.ToTrackingId(request.AppName);
        }

        if (request.Policy?.Invoke(task.Key, task.Resource?.Namespaced ?? true) is { } violation)
        {
            throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: {violation}");
        }

        return task;
    }

    /// <summary>The destination namespace CreateNamespace=true creates, with managedNamespaceMetadata's labels and annotations.</summary>
    private async Task<SyncTask> ManagedNamespaceAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var metadata = new JsonObject { ["name"] = request.DestinationNamespace };
        if (request.NamespaceMetadata is { } managed)
        {
            if (managed.Labels.Count > 0)
            {
                metadata["labels"] = new JsonObject(managed.Labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            }

            if (managed.Annotations.Count > 0)
            {
                metadata["annotations"] = new JsonObject(managed.Annotations.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            }
        }

        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata };
        return new SyncTask(new Manifest(ns, "(CreateNamespace=true)", 0), ns, SyncPhase.PreSync, isHook: true, wave: int.MinValue, request.Options)
        {
            Resource = await kube.ResolveAsync("v1", "Namespace", cancellationToken),
            ManagedNamespace = true,
        };
    }

    /// <summary>The phases a hook annotation names: null to leave the object out (Skip), empty for hooks Ferry never runs (PostDelete), [null] for a plain object.</summary>
    private static List<SyncPhase?>? ParseHook(string? value, Manifest manifest)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [null];
        }

        var phases = new List<SyncPhase?>();
        foreach (var hook in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (hook)
            {
                case "Skip":
                    return null;
                case "PostDelete":
                    continue;
                case "PreSync" or "Sync" or "PostSync" or "SyncFail":
                    var phase = Enum.Parse<SyncPhase>(hook);
                    if (!phases.Contains(phase))
                    {
                        phases.Add(phase);
                    }

                    break;
                default:
                    throw new SyncPlanException($"{manifest.Source}:{manifest.Line}: unknown hook '{hook}' (PreSync, Sync, PostSync, SyncFail, PostDelete or Skip)");
            }
        }

        return phases;
    }

    private static bool IsUnknownKind(Exception ex) => ex is UnknownKindException or KeyNotFoundException;

    private async Task ReadLiveAsync(SyncRequest request, List<SyncTask> tasks, CancellationToken cancellationToken)
    {
        var wanted = tasks.Where(t => t.Resource is not null && !t.IsHook).GroupBy(t => (t.Resource!, t.Resource!.Namespaced ? t.Key.Namespace : string.Empty)).ToList();
        if (request.Live is { } snapshot)
        {
            // A sweep's shared read: look each object up by name; the objects are shared, so nothing here changes them.
            await ForEachAsync(wanted, request.Concurrency, async group =>
            {
                var byName = await snapshot.ListAsync(group.Key.Item1, group.Key.Item2, cancellationToken);
                foreach (var task in group)
                {
                    task.Live = byName.GetValueOrDefault(task.Key.Name);
                }
            }, cancellationToken);
            await ReadHooksAsync(tasks, snapshot, cancellationToken);
            return;
        }

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

        await ReadHooksAsync(tasks, null, cancellationToken);
    }

    private async Task ReadHooksAsync(List<SyncTask> tasks, LiveSnapshot? snapshot, CancellationToken cancellationToken)
    {
        // Hooks are recreated each run, so only their current state matters; read them one by one (generateName ones have no name yet).
        // In a sweep, the namespace CreateNamespace manages comes from the shared read: one list of namespaces for every app.
        foreach (var hook in tasks.Where(t => t.IsHook && t.Resource is not null && !t.GenerateName))
        {
            hook.Live = snapshot is not null && hook.ManagedNamespace
                ? (await snapshot.ListAsync(hook.Resource!, string.Empty, cancellationToken)).GetValueOrDefault(hook.Key.Name)
                : await kube.GetAsync(hook.Resource!, hook.Key.Namespace, hook.Key.Name, cancellationToken);
        }
    }

    /// <summary>Reads the prune candidates (inventory minus desired) one by one: prune, IgnoreExtraneous and the reverse wave order depend on their live annotations.</summary>
    private async Task<List<StaleObject>> ReadStaleAsync(SyncRequest request, List<SyncTask> tasks, CancellationToken cancellationToken)
    {
        var stale = new ResourceInventory(request.Inventory).Stale(tasks.Where(t => !t.IsHook).Select(t => t.Key)).Select(s => new StaleObject(s.Key, s.ApiVersion)).ToList();
        await ForEachAsync(stale, request.Concurrency, async s =>
        {
            try
            {
                s.Resource = await kube.ResolveAsync(s.ApiVersion, s.Key.Kind, cancellationToken);
                s.Live = await kube.GetAsync(s.Resource, s.Key.Namespace, s.Key.Name, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && (IsUnknownKind(ex) || ex is KubeApiException))
            {
                s.Error = ex.Message;
            }
        }, cancellationToken);
        return stale;
    }
}
