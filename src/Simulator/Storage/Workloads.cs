using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Simulator.Apply;
using Ferry.Simulator.Discovery;

namespace Ferry.Simulator.Storage;

/// <summary>Plays the controllers' part on demand: writes workload, Job and Pod status as a finished or failed rollout would leave it.</summary>
internal sealed class Workloads(Cluster cluster, TimeProvider time)
{
    private const string ControllerManager = "kube-controller-manager";

    /// <summary>Completes whatever a write to this object would start, for <see cref="KubeSimulatorOptions.AutoComplete"/>.</summary>
    public void AutoComplete(ResourceType type, string ns, string name)
    {
        switch (type.Group, type.Kind)
        {
            case ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet"):
                CompleteRollout(type.Kind, ns, name);
                break;
            case ("batch", "Job"):
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
