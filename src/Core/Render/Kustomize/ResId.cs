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

    public bool IsClusterScoped => ClusterScopedKinds.Contains(Kind);

    /// <summary>kustomize's Gvk.String form: kind.version.group with placeholders.</summary>
    public override string ToString() =>
        $"{(Kind.Length == 0 ? "[noKind]" : Kind)}.{(Version.Length == 0 ? "[noVer]" : Version)}.{(Group.Length == 0 ? "[noGrp]" : Group)}";

    /// <summary>The sort form kustomize's legacy order uses.</summary>
    public string SortString() =>
        $"{(Group.Length == 0 ? "~G" : Group)}_{(Version.Length == 0 ? "~V" : Version)}_{(Kind.Length == 0 ? "~K" : Kind)}";

    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "APIService", "CertificateSigningRequest", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
        "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass",
        "MutatingWebhookConfiguration", "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy",
        "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "SelfSubjectAccessReview",
        "SelfSubjectRulesReview", "StorageClass", "SubjectAccessReview", "TokenReview",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration",
        "VolumeAttachment", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "StorageVersionMigration",
        "VolumeAttributesClass", "IPAddress", "ServiceCIDR", "DeviceClass", "ClusterTrustBundle",
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
