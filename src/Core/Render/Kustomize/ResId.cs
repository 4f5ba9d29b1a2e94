namespace Ferry.Core.Render.Kustomize;

/// <summary>Group, version and kind of an object, as kustomize selects them.</summary>
internal sealed record Gvk(string Group, string Version, string Kind)
{
    public static readonly Gvk Empty = new(string.Empty, string.Empty, string.Empty);

    public static Gvk FromApiVersion(string? apiVersion, string? kind)
    {
        apiVersion ??= string.Empty;
        var slash = apiVersion.IndexOf('/');
        return slash < 0
            ? new Gvk(string.Empty, apiVersion, kind ?? string.Empty)
            : new Gvk(apiVersion[..slash], apiVersion[(slash + 1)..], kind ?? string.Empty);
    }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>True when every non-empty part of the selector equals this one's.</summary>
    public bool IsSelectedBy(Gvk? selector) =>
        selector is null ||
        ((selector.Group.Length == 0 || selector.Group == Group) &&
         (selector.Version.Length == 0 || selector.Version == Version) &&
         (selector.Kind.Length == 0 || selector.Kind == Kind));

    /// <summary>True when kustomize's built-in schema (Kubernetes v1.21) knows this exact apiVersion and kind as cluster-scoped; unknown types are namespaced.</summary>
    public bool IsClusterScoped => clusterScoped ??= ClusterScopedTypes.Contains(ApiVersion + " " + Kind);

    private bool? clusterScoped;

    /// <summary>kustomize's Gvk.String form: kind.version.group with placeholders.</summary>
    public override string ToString() =>
        $"{(Kind.Length == 0 ? "[noKind]" : Kind)}.{(Version.Length == 0 ? "[noVer]" : Version)}.{(Group.Length == 0 ? "[noGrp]" : Group)}";

    /// <summary>The sort form kustomize's legacy order uses.</summary>
    public string SortString() =>
        $"{(Group.Length == 0 ? "~G" : Group)}_{(Version.Length == 0 ? "~V" : Version)}_{(Kind.Length == 0 ? "~K" : Kind)}";

    /// <summary>kustomize's Gvk.IsLessThan as a comparison: legacy kind order first, then group, version, kind.</summary>
    public static int Compare(Gvk a, Gvk b)
    {
        var ra = KindRank(a.Kind);
        var rb = KindRank(b.Kind);
        return ra != rb ? ra.CompareTo(rb) : string.CompareOrdinal(a.SortString(), b.SortString());
    }

    private static int KindRank(string kind)
    {
        var first = Array.IndexOf(OrderFirst, kind);
        if (first >= 0)
        {
            return first - OrderFirst.Length;
        }

        var last = Array.IndexOf(OrderLast, kind);
        return last >= 0 ? last + 1 : 0;
    }

    private static readonly string[] OrderFirst =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy",
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service",
        "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet",
        "CronJob", "PodDisruptionBudget",
    ];

    private static readonly string[] OrderLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public bool Equals(Gvk? other) => other is not null && Group == other.Group && Version == other.Version && Kind == other.Kind;

    public override int GetHashCode() => HashCode.Combine(Group, Version, Kind);

    private static readonly HashSet<string> ClusterScopedTypes = new(StringComparer.Ordinal)
    {
        "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration",
        "admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration",
        "apiextensions.k8s.io/v1 CustomResourceDefinition",
        "apiextensions.k8s.io/v1beta1 CustomResourceDefinition",
        "apiregistration.k8s.io/v1 APIService",
        "apiregistration.k8s.io/v1beta1 APIService",
        "authentication.k8s.io/v1 TokenReview",
        "authentication.k8s.io/v1beta1 TokenReview",
        "authorization.k8s.io/v1 SelfSubjectAccessReview",
        "authorization.k8s.io/v1 SelfSubjectRulesReview",
        "authorization.k8s.io/v1 SubjectAccessReview",
        "authorization.k8s.io/v1beta1 SelfSubjectAccessReview",
        "authorization.k8s.io/v1beta1 SelfSubjectRulesReview",
        "authorization.k8s.io/v1beta1 SubjectAccessReview",
        "certificates.k8s.io/v1 CertificateSigningRequest",
        "certificates.k8s.io/v1beta1 CertificateSigningRequest",
        "flowcontrol.apiserver.k8s.io/v1alpha1 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1alpha1 PriorityLevelConfiguration",
        "flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema",
        "flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration",
        "networking.k8s.io/v1 IngressClass",
        "networking.k8s.io/v1beta1 IngressClass",
        "node.k8s.io/v1 RuntimeClass",
        "node.k8s.io/v1alpha1 RuntimeClass",
        "node.k8s.io/v1beta1 RuntimeClass",
        "policy/v1beta1 PodSecurityPolicy",
        "rbac.authorization.k8s.io/v1 ClusterRole",
        "rbac.authorization.k8s.io/v1 ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1alpha1 ClusterRole",
        "rbac.authorization.k8s.io/v1alpha1 ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1beta1 ClusterRole",
        "rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding",
        "scheduling.k8s.io/v1 PriorityClass",
        "scheduling.k8s.io/v1alpha1 PriorityClass",
        "scheduling.k8s.io/v1beta1 PriorityClass",
        "storage.k8s.io/v1 CSIDriver",
        "storage.k8s.io/v1 CSINode",
        "storage.k8s.io/v1 StorageClass",
        "storage.k8s.io/v1 VolumeAttachment",
        "storage.k8s.io/v1beta1 CSIDriver",
        "storage.k8s.io/v1beta1 CSINode",
        "storage.k8s.io/v1beta1 StorageClass",
        "storage.k8s.io/v1beta1 VolumeAttachment",
        "v1 ComponentStatus",
        "v1 Namespace",
        "v1 Node",
        "v1 PersistentVolume",
        "storage.k8s.io/v1alpha1 VolumeAttachment",
    };
}

/// <summary>An object's identity during a build: its GVK, name and namespace.</summary>
internal sealed record ResId(Gvk Gvk, string Name, string Namespace)
{
    public const string DefaultNamespace = "default";
    public const string NoNamespace = "_non_namespaceable_";

    /// <summary>The namespace used to compare identities: "default" for none, a marker for cluster-scoped kinds.</summary>
    public string EffectiveNamespace =>
        Gvk.IsClusterScoped ? NoNamespace : Namespace.Length == 0 ? DefaultNamespace : Namespace;

    public bool IsNsEquals(ResId other) => EffectiveNamespace == other.EffectiveNamespace;

    public bool GvknEquals(ResId other) => Gvk == other.Gvk && Name == other.Name;

    public bool Equals2(ResId other) => GvknEquals(other) && IsNsEquals(other);

    /// <summary>kustomize's ResId.String form.</summary>
    public override string ToString() =>
        $"{Gvk}/{(Name.Length == 0 ? "[noName]" : Name)}.{(Namespace.Length == 0 ? "[noNs]" : Namespace)}";
}
