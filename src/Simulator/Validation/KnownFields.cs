using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Ferry.Simulator.Validation;

/// <summary>The declared fields of the built-in types manifests use most, to reject undeclared ones as the real server's schema does.</summary>
internal static class KnownFields
{
    // TypeName = openapi definition name; fields; "field:Type" descends, "field:Type[]" descends into list items.
    private const string Table = """
        io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta annotations creationTimestamp deletionGracePeriodSeconds deletionTimestamp finalizers generateName generation labels managedFields name namespace ownerReferences resourceVersion selfLink uid
        io.k8s.api.apps.v1.Deployment apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.apps.v1.DeploymentSpec status
        io.k8s.api.apps.v1.DeploymentSpec minReadySeconds paused progressDeadlineSeconds replicas revisionHistoryLimit selector strategy template:io.k8s.api.core.v1.PodTemplateSpec
        io.k8s.api.apps.v1.StatefulSet apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.apps.v1.StatefulSetSpec status
        io.k8s.api.apps.v1.StatefulSetSpec minReadySeconds ordinals persistentVolumeClaimRetentionPolicy podManagementPolicy replicas revisionHistoryLimit selector serviceName template:io.k8s.api.core.v1.PodTemplateSpec updateStrategy volumeClaimTemplates
        io.k8s.api.apps.v1.DaemonSet apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.apps.v1.DaemonSetSpec status
        io.k8s.api.apps.v1.DaemonSetSpec minReadySeconds revisionHistoryLimit selector template:io.k8s.api.core.v1.PodTemplateSpec updateStrategy
        io.k8s.api.apps.v1.ReplicaSet apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.apps.v1.ReplicaSetSpec status
        io.k8s.api.apps.v1.ReplicaSetSpec minReadySeconds replicas selector template:io.k8s.api.core.v1.PodTemplateSpec
        io.k8s.api.batch.v1.Job apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.batch.v1.JobSpec status
        io.k8s.api.batch.v1.JobSpec activeDeadlineSeconds backoffLimit completionMode completions manualSelector parallelism podFailurePolicy selector suspend template:io.k8s.api.core.v1.PodTemplateSpec ttlSecondsAfterFinished
        io.k8s.api.batch.v1.CronJob apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.batch.v1.CronJobSpec status
        io.k8s.api.batch.v1.CronJobSpec concurrencyPolicy failedJobsHistoryLimit jobTemplate schedule startingDeadlineSeconds successfulJobsHistoryLimit suspend timeZone
        io.k8s.api.core.v1.PodTemplateSpec metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.core.v1.PodSpec
        io.k8s.api.core.v1.Pod apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.core.v1.PodSpec status
        io.k8s.api.core.v1.PodSpec activeDeadlineSeconds affinity automountServiceAccountToken containers:io.k8s.api.core.v1.Container[] dnsConfig dnsPolicy enableServiceLinks ephemeralContainers hostAliases hostIPC hostNetwork hostPID hostUsers hostname imagePullSecrets initContainers:io.k8s.api.core.v1.Container[] nodeName nodeSelector os overhead preemptionPolicy priority priorityClassName readinessGates resourceClaims restartPolicy runtimeClassName schedulerName schedulingGates securityContext serviceAccount serviceAccountName setHostnameAsFQDN shareProcessNamespace subdomain terminationGracePeriodSeconds tolerations topologySpreadConstraints volumes
        io.k8s.api.core.v1.Container args command env envFrom image imagePullPolicy lifecycle livenessProbe name ports readinessProbe resources securityContext startupProbe stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices volumeMounts workingDir
        io.k8s.api.core.v1.Service apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec:io.k8s.api.core.v1.ServiceSpec status
        io.k8s.api.core.v1.ServiceSpec allocateLoadBalancerNodePorts clusterIP clusterIPs externalIPs externalName externalTrafficPolicy healthCheckNodePort internalTrafficPolicy ipFamilies ipFamilyPolicy loadBalancerClass loadBalancerIP loadBalancerSourceRanges ports publishNotReadyAddresses selector sessionAffinity sessionAffinityConfig type
        io.k8s.api.core.v1.ConfigMap apiVersion binaryData data immutable kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta
        io.k8s.api.core.v1.Secret apiVersion data immutable kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta stringData type
        io.k8s.api.core.v1.Namespace apiVersion kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta spec status
        io.k8s.api.core.v1.ServiceAccount apiVersion automountServiceAccountToken imagePullSecrets kind metadata:io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta secrets
        """;

    private static readonly FrozenDictionary<string, string> Roots = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["apps/Deployment"] = "io.k8s.api.apps.v1.Deployment",
        ["apps/StatefulSet"] = "io.k8s.api.apps.v1.StatefulSet",
        ["apps/DaemonSet"] = "io.k8s.api.apps.v1.DaemonSet",
        ["apps/ReplicaSet"] = "io.k8s.api.apps.v1.ReplicaSet",
        ["batch/Job"] = "io.k8s.api.batch.v1.Job",
        ["batch/CronJob"] = "io.k8s.api.batch.v1.CronJob",
        ["/Pod"] = "io.k8s.api.core.v1.Pod",
        ["/Service"] = "io.k8s.api.core.v1.Service",
        ["/ConfigMap"] = "io.k8s.api.core.v1.ConfigMap",
        ["/Secret"] = "io.k8s.api.core.v1.Secret",
        ["/Namespace"] = "io.k8s.api.core.v1.Namespace",
        ["/ServiceAccount"] = "io.k8s.api.core.v1.ServiceAccount",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Type name → field → child type (empty: not checked below), with a list marker.</summary>
    internal static FrozenDictionary<string, FrozenDictionary<string, (string Type, bool List)>> Types { get; } = Parse();

    /// <summary>The paths (<c>.spec.replicaz</c>) of fields the object sets that its type does not declare, in document order.</summary>
    public static List<string> Undeclared(string group, string kind, JsonObject obj)
    {
        var result = new List<string>();
        if (Roots.TryGetValue($"{group}/{kind}", out var root))
        {
            Walk(obj, root, string.Empty, result);
        }

        return result;
    }

    /// <summary>Removes the fields the object's type does not declare, as the server does with <c>fieldValidation=Ignore</c>; returns their paths.</summary>
    public static List<string> Drop(string group, string kind, JsonObject obj)
    {
        var result = new List<string>();
        if (Roots.TryGetValue($"{group}/{kind}", out var root))
        {
            Walk(obj, root, string.Empty, result, drop: true);
        }

        return result;
    }

    private static void Walk(JsonObject obj, string type, string path, List<string> result, bool drop = false)
    {
        var fields = Types[type];
        foreach (var (key, value) in obj.ToList())
        {
            if (!fields.TryGetValue(key, out var child))
            {
                result.Add($"{path}.{key}");
                if (drop)
                {
                    obj.Remove(key);
                }

                continue;
            }

            if (child.Type.Length == 0)
            {
                continue;
            }

            if (child.List && value is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject item)
                    {
                        Walk(item, child.Type, $"{path}.{key}[{i}]", result, drop);
                    }
                }
            }
            else if (value is JsonObject nested)
            {
                Walk(nested, child.Type, $"{path}.{key}", result, drop);
            }
        }
    }

    private static FrozenDictionary<string, FrozenDictionary<string, (string Type, bool List)>> Parse()
    {
        var types = new Dictionary<string, FrozenDictionary<string, (string, bool)>>(StringComparer.Ordinal);
        foreach (var raw in Table.Split('\n'))
        {
            var parts = raw.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            types[parts[0]] = parts.Skip(1).Select(f =>
            {
                var colon = f.IndexOf(':');
                if (colon < 0)
                {
                    return (Name: f, Type: string.Empty, List: false);
                }

                var t = f[(colon + 1)..];
                return (Name: f[..colon], Type: t.TrimEnd('[', ']'), List: t.EndsWith("[]", StringComparison.Ordinal));
            }).ToFrozenDictionary(x => x.Name, x => (x.Type, x.List), StringComparer.Ordinal);
        }

        return types.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
