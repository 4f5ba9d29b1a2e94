using System.Collections.Frozen;

namespace Ferry.Simulator.Discovery;

/// <summary>The built-in resources of a v1.26 API server, as a compact table parsed once.</summary>
internal static class BuiltInResources
{
    // One line per resource: groupVersion plural Kind scope(N|C) verbs shortNames categories generation(G|-) subresources.
    // Verbs: std (the eight usual), nodc (std without deletecollection) or an explicit '+' list.
    // Subresource: name[=Kind][@group/version][:verbs]; Kind defaults to the parent's, verbs to get+patch+update.
    private const string Table = """
        v1 bindings Binding N create - - - -
        v1 componentstatuses ComponentStatus C get+list cs - - -
        v1 configmaps ConfigMap N std cm - - -
        v1 endpoints Endpoints N std ep - - -
        v1 events Event N std ev - - -
        v1 limitranges LimitRange N std limits - - -
        v1 namespaces Namespace C nodc ns - - finalize:update,status
        v1 nodes Node C std no - - proxy=NodeProxyOptions:create+delete+get+patch+update,status
        v1 persistentvolumeclaims PersistentVolumeClaim N std pvc - - status
        v1 persistentvolumes PersistentVolume C std pv - - status
        v1 pods Pod N std po all - attach=PodAttachOptions:create+get,binding=Binding:create,ephemeralcontainers,eviction=Eviction@policy/v1:create,exec=PodExecOptions:create+get,log:get,portforward=PodPortForwardOptions:create+get,proxy=PodProxyOptions:create+delete+get+patch+update,status
        v1 podtemplates PodTemplate N std - - - -
        v1 replicationcontrollers ReplicationController N std rc all G scale=Scale@autoscaling/v1,status
        v1 resourcequotas ResourceQuota N std quota - - status
        v1 secrets Secret N std - - - -
        v1 serviceaccounts ServiceAccount N std sa - - token=TokenRequest@authentication.k8s.io/v1:create
        v1 services Service N std svc all - proxy=ServiceProxyOptions:create+delete+get+patch+update,status
        apiregistration.k8s.io/v1 apiservices APIService C std - api-extensions - status
        apps/v1 controllerrevisions ControllerRevision N std - - - -
        apps/v1 daemonsets DaemonSet N std ds all G status
        apps/v1 deployments Deployment N std deploy all G scale=Scale@autoscaling/v1,status
        apps/v1 replicasets ReplicaSet N std rs all G scale=Scale@autoscaling/v1,status
        apps/v1 statefulsets StatefulSet N std sts all G scale=Scale@autoscaling/v1,status
        events.k8s.io/v1 events Event N std ev - - -
        authentication.k8s.io/v1 tokenreviews TokenReview C create - - - -
        authorization.k8s.io/v1 localsubjectaccessreviews LocalSubjectAccessReview N create - - - -
        authorization.k8s.io/v1 selfsubjectaccessreviews SelfSubjectAccessReview C create - - - -
        authorization.k8s.io/v1 selfsubjectrulesreviews SelfSubjectRulesReview C create - - - -
        authorization.k8s.io/v1 subjectaccessreviews SubjectAccessReview C create - - - -
        autoscaling/v2 horizontalpodautoscalers HorizontalPodAutoscaler N std hpa all G status
        autoscaling/v1 horizontalpodautoscalers HorizontalPodAutoscaler N std hpa all G status
        batch/v1 cronjobs CronJob N std cj all G status
        batch/v1 jobs Job N std - all G status
        certificates.k8s.io/v1 certificatesigningrequests CertificateSigningRequest C std csr - - approval,status
        networking.k8s.io/v1 ingressclasses IngressClass C std - - G -
        networking.k8s.io/v1 ingresses Ingress N std ing - G status
        networking.k8s.io/v1 networkpolicies NetworkPolicy N std netpol - G status
        policy/v1 poddisruptionbudgets PodDisruptionBudget N std pdb - G status
        rbac.authorization.k8s.io/v1 clusterrolebindings ClusterRoleBinding C std - - - -
        rbac.authorization.k8s.io/v1 clusterroles ClusterRole C std - - - -
        rbac.authorization.k8s.io/v1 rolebindings RoleBinding N std - - - -
        rbac.authorization.k8s.io/v1 roles Role N std - - - -
        storage.k8s.io/v1 csidrivers CSIDriver C std - - - -
        storage.k8s.io/v1 csinodes CSINode C std - - - -
        storage.k8s.io/v1 csistoragecapacities CSIStorageCapacity N std - - - -
        storage.k8s.io/v1 storageclasses StorageClass C std sc - - -
        storage.k8s.io/v1 volumeattachments VolumeAttachment C std - - - status
        storage.k8s.io/v1beta1 csistoragecapacities CSIStorageCapacity N std - - - -
        admissionregistration.k8s.io/v1 mutatingwebhookconfigurations MutatingWebhookConfiguration C std - api-extensions G -
        admissionregistration.k8s.io/v1 validatingwebhookconfigurations ValidatingWebhookConfiguration C std - api-extensions G -
        apiextensions.k8s.io/v1 customresourcedefinitions CustomResourceDefinition C std crd,crds api-extensions G status
        scheduling.k8s.io/v1 priorityclasses PriorityClass C std pc - - -
        coordination.k8s.io/v1 leases Lease N std - - - -
        node.k8s.io/v1 runtimeclasses RuntimeClass C std - - - -
        discovery.k8s.io/v1 endpointslices EndpointSlice N std - - - -
        flowcontrol.apiserver.k8s.io/v1beta3 flowschemas FlowSchema C std - - G status
        flowcontrol.apiserver.k8s.io/v1beta3 prioritylevelconfigurations PriorityLevelConfiguration C std - - G status
        flowcontrol.apiserver.k8s.io/v1beta2 flowschemas FlowSchema C std - - G status
        flowcontrol.apiserver.k8s.io/v1beta2 prioritylevelconfigurations PriorityLevelConfiguration C std - - G status
        """;

    /// <summary>Storage versions that differ from the served group-version (they change storageVersionHash).</summary>
    private static readonly FrozenDictionary<string, string> StorageVersions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["autoscaling/v2/horizontalpodautoscalers"] = "autoscaling/v1",
        ["policy/v1/poddisruptionbudgets"] = "policy/v1beta1",
        ["apiextensions.k8s.io/v1/customresourcedefinitions"] = "apiextensions.k8s.io/v1beta1",
        ["storage.k8s.io/v1beta1/csistoragecapacities"] = "storage.k8s.io/v1",
        ["flowcontrol.apiserver.k8s.io/v1beta3/flowschemas"] = "flowcontrol.apiserver.k8s.io/v1beta2",
        ["flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations"] = "flowcontrol.apiserver.k8s.io/v1beta2",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] StandardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    /// <summary>Every built-in resource, in the table's order.</summary>
    public static IReadOnlyList<ResourceType> All { get; } = Parse();

    /// <summary>The group order of <c>/apis</c> (the real server's priority order), with each group's versions, preferred first.</summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> GroupOrder { get; } =
    [
        ("apiregistration.k8s.io", ["v1"]),
        ("apps", ["v1"]),
        ("events.k8s.io", ["v1"]),
        ("authentication.k8s.io", ["v1"]),
        ("authorization.k8s.io", ["v1"]),
        ("autoscaling", ["v2", "v1"]),
        ("batch", ["v1"]),
        ("certificates.k8s.io", ["v1"]),
        ("networking.k8s.io", ["v1"]),
        ("policy", ["v1"]),
        ("rbac.authorization.k8s.io", ["v1"]),
        ("storage.k8s.io", ["v1", "v1beta1"]),
        ("admissionregistration.k8s.io", ["v1"]),
        ("apiextensions.k8s.io", ["v1"]),
        ("scheduling.k8s.io", ["v1"]),
        ("coordination.k8s.io", ["v1"]),
        ("node.k8s.io", ["v1"]),
        ("discovery.k8s.io", ["v1"]),
        ("flowcontrol.apiserver.k8s.io", ["v1beta3", "v1beta2"]),
    ];

    private static List<ResourceType> Parse()
    {
        var result = new List<ResourceType>();
        foreach (var raw in Table.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var slash = f[0].IndexOf('/');
            var group = slash < 0 ? string.Empty : f[0][..slash];
            var version = slash < 0 ? f[0] : f[0][(slash + 1)..];
            var kind = f[2];
            StorageVersions.TryGetValue($"{f[0]}/{f[1]}", out var storage);
            result.Add(new ResourceType
            {
                Group = group,
                Version = version,
                Plural = f[1],
                Kind = kind,
                Namespaced = f[3] == "N",
                Verbs = Verbs(f[4]),
                ShortNames = List(f[5]),
                Categories = List(f[6]),
                HasGeneration = f[7] == "G",
                StorageGroupVersion = storage,
                Subresources = f[8] == "-" ? [] : f[8].Split(',').Select(s => ParseSubresource(s, kind)).ToArray(),
            });
        }

        return result;
    }

    private static string[] List(string field) => field == "-" ? [] : field.Split(',');

    private static string[] Verbs(string field) => field switch
    {
        "std" => StandardVerbs,
        "nodc" => ["create", "delete", "get", "list", "patch", "update", "watch"],
        _ => field.Split('+'),
    };

    private static Subresource ParseSubresource(string text, string parentKind)
    {
        string[] verbs = SubresourceVerbs;
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            verbs = Verbs(text[(colon + 1)..]);
            text = text[..colon];
        }

        string? group = null, version = null;
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            var gv = text[(at + 1)..].Split('/');
            (group, version) = (gv[0], gv[1]);
            text = text[..at];
        }

        var kind = parentKind;
        var eq = text.IndexOf('=');
        if (eq >= 0)
        {
            kind = text[(eq + 1)..];
            text = text[..eq];
        }

        return new Subresource(text, kind, group, version, verbs);
    }
}
