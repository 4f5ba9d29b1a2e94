using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Simulator.Apply;
using Ferry.Simulator.Defaulting;
using Ferry.Simulator.Discovery;

namespace Ferry.Simulator.Storage;

/// <summary>
/// Plays the controllers' part on demand: writes workload, Job and Pod status as a finished or failed rollout would leave it; with
/// <see cref="KubeSimulatorOptions.RunControllers"/>, also creates the ReplicaSets and Pods workloads own and garbage-collects dependents.
/// </summary>
internal sealed class Workloads
{
    private const string ControllerManager = "kube-controller-manager";

    private readonly Cluster cluster;
    private readonly TimeProvider time;
    private readonly bool runControllers;

    public Workloads(Cluster cluster, TimeProvider time, bool runControllers = false)
    {
        this.cluster = cluster;
        this.time = time;
        this.runControllers = runControllers;
        if (runControllers)
        {
            cluster.Changed += (obj, removed) =>
            {
                if (removed)
                {
                    CollectDependents(obj);
                }
            };
        }
    }

    /// <summary>Completes whatever a write to this object would start, for <see cref="KubeSimulatorOptions.AutoComplete"/>.</summary>
    public void AutoComplete(ResourceType type, string ns, string name)
    {
        switch (type.Group, type.Kind)
        {
            case ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet"):
                if (runControllers)
                {
                    CreateDependents(type.Kind, ns, name);
                }

                CompleteRollout(type.Kind, ns, name);
                break;
            case ("batch", "Job"):
                if (runControllers)
                {
                    CreateDependents(type.Kind, ns, name);
                }

                CompleteJob(ns, name);
                break;
            case ("", "Pod"):
                SetPodPhase(ns, name, "Running");
                break;
        }
    }

    public StoredObject? CompleteRollout(string kind, string ns, string name)
    {
        var type = Type("apps", kind);
        return cluster.Mutate(type, ns, name, ControllerManager, status: true, obj =>
        {
            var generation = (long?)obj["metadata"]?["generation"] ?? 1;
            var replicas = (long?)obj["spec"]?["replicas"] ?? 1;
            var revision = $"{name}-{Hash(obj["spec"]?["template"])}";
            var status = obj["status"] as JsonObject ?? [];
            JsonObject next = kind switch
            {
                "Deployment" => new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["replicas"] = replicas,
                    ["updatedReplicas"] = replicas,
                    ["readyReplicas"] = replicas,
                    ["availableReplicas"] = replicas,
                    ["conditions"] = Conditions(status,
                        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
                        ("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{revision}\" has successfully progressed.")),
                },
                "StatefulSet" => new JsonObject
                {
                    ["observedGeneration"] = generation,
                    ["replicas"] = replicas,
                    ["readyReplicas"] = replicas,
                    ["currentReplicas"] = replicas,
                    ["updatedReplicas"] = replicas,
                    ["currentRevision"] = revision,
                    ["updateRevision"] = revision,
                    ["collisionCount"] = 0,
                    ["availableReplicas"] = replicas,
                },
                "DaemonSet" => new JsonObject
                {
                    ["currentNumberScheduled"] = 1,
                    ["numberMisscheduled"] = 0,
                    ["desiredNumberScheduled"] = 1,
                    ["numberReady"] = 1,
                    ["observedGeneration"] = generation,
                    ["updatedNumberScheduled"] = 1,
                    ["numberAvailable"] = 1,
                },
                _ => new JsonObject
                {
                    ["replicas"] = replicas,
                    ["fullyLabeledReplicas"] = replicas,
                    ["readyReplicas"] = replicas,
                    ["availableReplicas"] = replicas,
                    ["observedGeneration"] = generation,
                },
            };
            obj["status"] = Drop(next, replicas == 0 ? ["readyReplicas", "availableReplicas"] : []);
        });
    }

    public StoredObject? FailRollout(string ns, string name)
    {
        var type = Type("apps", "Deployment");
        return cluster.Mutate(type, ns, name, ControllerManager, status: true, obj =>
        {
            var replicas = (long?)obj["spec"]?["replicas"] ?? 1;
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = new JsonObject
            {
                ["observedGeneration"] = (long?)obj["metadata"]?["generation"] ?? 1,
                ["replicas"] = replicas,
                ["updatedReplicas"] = replicas,
                ["unavailableReplicas"] = replicas,
                ["conditions"] = Conditions(status,
                    ("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."),
                    ("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{name}-{Hash(obj["spec"]?["template"])}\" has timed out progressing.")),
            };
        });
    }

    public StoredObject? CompleteJob(string ns, string name) =>
        cluster.Mutate(Type("batch", "Job"), ns, name, ControllerManager, status: true, obj =>
        {
            var status = obj["status"] as JsonObject ?? [];
            var now = Now;
            obj["status"] = new JsonObject
            {
                ["conditions"] = JobCondition(status, "Complete", null, null),
                ["startTime"] = (string?)status["startTime"] ?? now,
                ["completionTime"] = (string?)status["completionTime"] ?? now,
                ["succeeded"] = (long?)obj["spec"]?["completions"] ?? 1,
                ["uncountedTerminatedPods"] = new JsonObject(),
                ["ready"] = 0,
            };
        });

    public StoredObject? FailJob(string ns, string name, string message) =>
        cluster.Mutate(Type("batch", "Job"), ns, name, ControllerManager, status: true, obj =>
        {
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = new JsonObject
            {
                ["conditions"] = JobCondition(status, "Failed", "BackoffLimitExceeded", message),
                ["startTime"] = (string?)status["startTime"] ?? Now,
                ["failed"] = 1,
                ["uncountedTerminatedPods"] = new JsonObject(),
                ["ready"] = 0,
            };
        });

    public StoredObject? SetPodPhase(string ns, string name, string phase) =>
        cluster.Mutate(Type(string.Empty, "Pod"), ns, name, "kubelet", status: true, obj =>
        {
            var status = obj["status"] as JsonObject ?? [];
            var ready = phase == "Running" ? "True" : "False";
            var next = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = PodConditions(status, ready),
                ["hostIP"] = "10.0.0.1",
                ["podIP"] = "10.0.0.2",
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.2" }),
                ["startTime"] = (string?)status["startTime"] ?? Now,
                ["qosClass"] = (string?)status["qosClass"] ?? "BestEffort",
            };
            if (phase == "Pending")
            {
                next.Remove("podIP");
                next.Remove("podIPs");
            }

            obj["status"] = next;
        });

    /// <summary>What the Deployment, ReplicaSet, StatefulSet, DaemonSet and Job controllers create for an owner: ReplicaSets and Pods, named and owned as they name and own them.</summary>
    private void CreateDependents(string kind, string ns, string name)
    {
        var ownerType = Type(kind == "Job" ? "batch" : "apps", kind);
        if (cluster.Store.Get(ownerType.Group, ownerType.Plural, ns, name)?.Parse() is not { } owner || owner["metadata"]?["deletionTimestamp"] is not null)
        {
            return;
        }

        var replicas = (long?)owner["spec"]?["replicas"] ?? 1;
        var template = owner["spec"]?["template"] as JsonObject ?? [];
        switch (kind)
        {
            case "Deployment":
                var hash = Hash(template)[..10];
                var replicaSetName = $"{name}-{hash}";
                var replicaSets = Type("apps", "ReplicaSet");
                foreach (var old in OwnedBy(replicaSets, ns, owner).Where(r => r.Name != replicaSetName))
                {
                    // A rollout scales the old ReplicaSets to zero and keeps them for history.
                    cluster.Mutate(replicaSets, ns, old.Name, ControllerManager, status: false, rs => rs["spec"]!["replicas"] = 0);
                    SyncPods(ns, old.Name, 0);
                }

                if (cluster.Store.Get(replicaSets.Group, replicaSets.Plural, ns, replicaSetName) is null)
                {
                    var rsTemplate = (JsonObject)template.DeepClone();
                    var labels = Defaulter.Object(Defaulter.Object(rsTemplate, "metadata"), "labels");
                    labels["pod-template-hash"] = hash;
                    var selector = (JsonObject?)owner["spec"]?["selector"]?.DeepClone() ?? [];
                    Defaulter.Object(selector, "matchLabels")["pod-template-hash"] = hash;
                    cluster.Create(replicaSets, ns, Owned(owner, "apps/v1", "ReplicaSet", replicaSetName, (JsonObject)labels.DeepClone(), new JsonObject
                    {
                        ["replicas"] = replicas,
                        ["selector"] = selector,
                        ["template"] = rsTemplate,
                    }), ControllerManager, dryRun: false);
                }
                else
                {
                    cluster.Mutate(replicaSets, ns, replicaSetName, ControllerManager, status: false, rs => rs["spec"]!["replicas"] = replicas);
                }

                SyncPods(ns, replicaSetName, replicas);
                CompleteRollout("ReplicaSet", ns, replicaSetName);
                break;
            case "ReplicaSet":
                SyncPods(ns, name, replicas);
                break;
            case "StatefulSet":
                SyncPods(ns, name, replicas, i => $"{name}-{i}", ownerType);
                break;
            case "DaemonSet":
                SyncPods(ns, name, 1, i => $"{name}-{Hash(template)[..5]}", ownerType);
                break;
            case "Job":
                SyncPods(ns, name, 1, i => $"{name}-{Hash(template)[..5]}", ownerType, "Succeeded");
                break;
        }
    }

    /// <summary>Makes the owner's Pods exactly <paramref name="replicas"/>, named by <paramref name="podName"/> (a ReplicaSet's by default), Running unless told otherwise.</summary>
    private void SyncPods(string ns, string ownerName, long replicas, Func<long, string>? podName = null, ResourceType? ownerType = null, string phase = "Running")
    {
        ownerType ??= Type("apps", "ReplicaSet");
        if (cluster.Store.Get(ownerType.Group, ownerType.Plural, ns, ownerName)?.Parse() is not { } owner)
        {
            return;
        }

        podName ??= i => $"{ownerName}-{Hash(JsonValue.Create($"{ownerName}/{i}"))[..5]}";
        var pods = Type(string.Empty, "Pod");
        var wanted = Enumerable.Range(0, (int)Math.Max(0, replicas)).Select(i => podName(i)).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in OwnedBy(pods, ns, owner).Where(p => !wanted.Contains(p.Name)))
        {
            cluster.Delete(pods, ns, extra.Name, "Background", null, null, dryRun: false);
        }

        var template = owner["spec"]?["template"] as JsonObject ?? (owner["spec"]?["jobTemplate"]?["spec"]?["template"] as JsonObject) ?? [];
        foreach (var name in wanted.Order(StringComparer.Ordinal))
        {
            if (cluster.Store.Get(pods.Group, pods.Plural, ns, name) is not null)
            {
                continue;
            }

            var labels = (JsonObject?)template["metadata"]?["labels"]?.DeepClone() ?? [];
            var spec = (JsonObject?)template["spec"]?.DeepClone() ?? [];
            if (spec["containers"] is null)
            {
                spec["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = "busybox" });
            }

            cluster.Create(pods, ns, Owned(owner, (string?)owner["apiVersion"] ?? "apps/v1", (string?)owner["kind"] ?? "ReplicaSet", name, labels, spec, kind: "Pod"), ControllerManager, dryRun: false);
            SetPodPhase(ns, name, phase);
        }
    }

    /// <summary>The garbage collector: a removed owner's dependents (in its namespace) are deleted in the background, and theirs in turn.</summary>
    private void CollectDependents(StoredObject removed)
    {
        if (removed.Namespace.Length == 0)
        {
            return;
        }

        foreach (var type in new[] { Type("apps", "ReplicaSet"), Type(string.Empty, "Pod"), Type("batch", "Job") })
        {
            foreach (var dependent in cluster.Store.List(type.Group, type.Plural, removed.Namespace).Where(d => Owners(d.Parse()).Contains(removed.Uid)))
            {
                try
                {
                    cluster.Delete(type, removed.Namespace, dependent.Name, "Background", null, null, dryRun: false);
                }
                catch (Api.ApiError)
                {
                    // Already gone.
                }
            }
        }
    }

    private IEnumerable<StoredObject> OwnedBy(ResourceType type, string ns, JsonObject owner)
    {
        var uid = (string?)owner["metadata"]?["uid"];
        return cluster.Store.List(type.Group, type.Plural, ns).Where(o => Owners(o.Parse()).Contains(uid)).ToList();
    }

    private static IEnumerable<string?> Owners(JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().Select(o => (string?)o["uid"]) ?? [];

    /// <summary>A new object owned by <paramref name="owner"/> through a controller reference, as controllers create them.</summary>
    private static JsonObject Owned(JsonObject owner, string ownerApiVersion, string ownerKind, string name, JsonObject labels, JsonObject spec, string kind = "ReplicaSet")
    {
        var ns = (string?)owner["metadata"]?["namespace"];
        var isPod = kind == "Pod";
        return new JsonObject
        {
            ["apiVersion"] = isPod ? "v1" : "apps/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = isPod ? ownerApiVersion : (string?)owner["apiVersion"],
                    ["kind"] = isPod ? ownerKind : (string?)owner["kind"],
                    ["name"] = (string?)owner["metadata"]?["name"],
                    ["uid"] = (string?)owner["metadata"]?["uid"],
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = spec,
        };
    }

    private string Now => ManagedEntry.FormatTime(time.GetUtcNow());

    private ResourceType Type(string group, string kind) =>
        cluster.Registry.FindGroupKind(group, kind) ?? throw new InvalidOperationException($"{kind} is not served");

    /// <summary>Conditions as controllers write them, keeping an unchanged condition as it was (so repeated calls change nothing).</summary>
    private JsonArray Conditions(JsonObject status, params (string Type, string Status, string Reason, string Message)[] wanted)
    {
        var now = Now;
        var result = new JsonArray();
        foreach (var (type, value, reason, message) in wanted)
        {
            var existing = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
            if (existing is not null && (string?)existing["status"] == value && (string?)existing["reason"] == reason && (string?)existing["message"] == message)
            {
                result.Add(existing.DeepClone());
                continue;
            }

            var transition = existing is not null && (string?)existing["status"] == value ? (string?)existing["lastTransitionTime"] ?? now : now;
            result.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = value,
                ["lastUpdateTime"] = now,
                ["lastTransitionTime"] = transition,
                ["reason"] = reason,
                ["message"] = message,
            });
        }

        return result;
    }

    private JsonArray JobCondition(JsonObject status, string type, string? reason, string? message)
    {
        var existing = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type && (string?)c["message"] == message);
        if (existing is not null)
        {
            return new JsonArray(existing.DeepClone());
        }

        var now = Now;
        var condition = new JsonObject { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = now, ["lastTransitionTime"] = now };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return new JsonArray(condition);
    }

    private JsonArray PodConditions(JsonObject status, string ready)
    {
        var now = Now;
        var result = new JsonArray();
        foreach (var (type, value) in new[] { ("Initialized", "True"), ("Ready", ready), ("ContainersReady", ready), ("PodScheduled", "True") })
        {
            var existing = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type && (string?)c["status"] == value);
            result.Add(existing?.DeepClone() ?? new JsonObject { ["lastProbeTime"] = null, ["lastTransitionTime"] = now, ["status"] = value, ["type"] = type });
        }

        return result;
    }

    private static JsonObject Drop(JsonObject obj, string[] keys)
    {
        foreach (var key in keys)
        {
            obj.Remove(key);
        }

        return obj;
    }

    /// <summary>A stable pod-template hash in the style of ReplicaSet names.</summary>
    private static string Hash(JsonNode? template)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(template?.ToJsonString() ?? string.Empty));
        return Convert.ToHexString(bytes, 0, 5).ToLowerInvariant();
    }
}
