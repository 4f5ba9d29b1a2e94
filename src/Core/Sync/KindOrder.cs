using System.Collections.Frozen;

namespace Ferry.Core.Sync;

/// <summary>The order kinds are applied in within one wave (Argo CD's list, from Helm's install order); unknown kinds come last.</summary>
public static class KindOrder
{
    private static readonly FrozenDictionary<string, int> Order = new[]
    {
        "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
        "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
        "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
        "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
        "IngressClass", "Ingress", "APIService",
    }.Select((kind, index) => (kind, index)).ToFrozenDictionary(p => p.kind, p => p.index, StringComparer.Ordinal);

    /// <summary>The rank of a kind; unknown kinds rank after every known one.</summary>
    public static int Of(string kind) => Order.TryGetValue(kind, out var rank) ? rank : Order.Count;
}
