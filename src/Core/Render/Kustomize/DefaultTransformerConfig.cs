namespace Ferry.Core.Render.Kustomize;

/// <summary>kustomize's builtin field specs, written as compact rows and expanded over the pod-template locations of each workload kind.</summary>
internal static class DefaultTransformerConfig
{
    // Where a pod spec lives in each workload kind.
    private static readonly (string Kind, string Group, string Version, string PodSpec)[] Workloads =
    [
        ("Pod", "", "v1", "spec"),
        ("PodTemplate", "", "", "template/spec"),
        ("Deployment", "", "", "spec/template/spec"),
        ("ReplicaSet", "", "", "spec/template/spec"),
        ("DaemonSet", "", "", "spec/template/spec"),
        ("StatefulSet", "", "", "spec/template/spec"),
        ("Job", "", "", "spec/template/spec"),
        ("CronJob", "", "", "spec/jobTemplate/spec/template/spec"),
    ];

    // Rows: "<selector> <path> [create]" where selector is kind, group/version/kind with '-' for empty parts.
    private const string Labels = """
        * metadata/labels create
        -/v1/ReplicationController spec/template/metadata/labels create
        Deployment spec/template/metadata/labels create
        ReplicaSet spec/template/metadata/labels create
        DaemonSet spec/template/metadata/labels create
        apps/-/StatefulSet spec/template/metadata/labels create
        apps/-/StatefulSet spec/volumeClaimTemplates[]/metadata/labels create
        batch/-/Job spec/template/metadata/labels create
        batch/-/CronJob spec/jobTemplate/metadata/labels create
        batch/-/CronJob spec/jobTemplate/spec/template/metadata/labels create
        """;

    private const string Selectors = """
        -/v1/Service spec/selector create
        -/v1/ReplicationController spec/selector create
        Deployment spec/selector/matchLabels create
        apps/-/Deployment spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
        apps/-/Deployment spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
        apps/-/Deployment spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
        apps/-/Deployment spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
        apps/-/Deployment spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels
        ReplicaSet spec/selector/matchLabels create
        DaemonSet spec/selector/matchLabels create
        apps/-/StatefulSet spec/selector/matchLabels create
        apps/-/StatefulSet spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
        apps/-/StatefulSet spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
        apps/-/StatefulSet spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels
        apps/-/StatefulSet spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels
        apps/-/StatefulSet spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels
        batch/-/Job spec/selector/matchLabels
        batch/-/CronJob spec/jobTemplate/spec/selector/matchLabels
        policy/-/PodDisruptionBudget spec/selector/matchLabels
        networking.k8s.io/-/NetworkPolicy spec/podSelector/matchLabels
        networking.k8s.io/-/NetworkPolicy spec/ingress/from/podSelector/matchLabels
        networking.k8s.io/-/NetworkPolicy spec/egress/to/podSelector/matchLabels
        """;

    private const string Annotations = """
        * metadata/annotations create
        -/v1/ReplicationController spec/template/metadata/annotations create
        Deployment spec/template/metadata/annotations create
        ReplicaSet spec/template/metadata/annotations create
        DaemonSet spec/template/metadata/annotations create
        StatefulSet spec/template/metadata/annotations create
        batch/-/Job spec/template/metadata/annotations create
        batch/-/CronJob spec/jobTemplate/metadata/annotations create
        batch/-/CronJob spec/jobTemplate/spec/template/metadata/annotations create
        """;

    private const string Namespace = """
        Namespace metadata/name create
        apiregistration.k8s.io/-/APIService spec/service/namespace create
        apiextensions.k8s.io/-/CustomResourceDefinition spec/conversion/webhook/clientConfig/service/namespace
        """;

    // v5.5 does not yet touch image volumes (spec/volumes[]/image/reference came in a later release).
    private const string Images = """
        * spec/containers[]/image create
        * spec/initContainers[]/image create
        * spec/template/spec/containers[]/image create
        * spec/template/spec/initContainers[]/image create
        """;

    private const string Replicas = """
        Deployment spec/replicas create
        ReplicationController spec/replicas create
        ReplicaSet spec/replicas create
        StatefulSet spec/replicas create
        """;

    private const string VarReference = """
        Service spec/ports/port
        Service spec/ports/targetPort
        Ingress spec/rules/host
        Ingress spec/tls/hosts
        Ingress spec/tls/secretName
        Deployment spec/template/metadata/annotations
        StatefulSet spec/volumeClaimTemplates/spec/nfs/server
        PersistentVolume spec/nfs/server
        * metadata/labels
        * metadata/annotations
        """;

    // Name references: "<target selector> <referrer selector> <path>"; '@pod:' paths expand over workloads.
    private const string NameReferences = """
        Deployment HorizontalPodAutoscaler spec/scaleTargetRef/name
        ReplicationController HorizontalPodAutoscaler spec/scaleTargetRef/name
        ReplicaSet HorizontalPodAutoscaler spec/scaleTargetRef/name
        StatefulSet HorizontalPodAutoscaler spec/scaleTargetRef/name
        -/v1/ConfigMap @pod volumes/configMap/name
        -/v1/ConfigMap @pod containers/env/valueFrom/configMapKeyRef/name
        -/v1/ConfigMap @pod initContainers/env/valueFrom/configMapKeyRef/name
        -/v1/ConfigMap @pod containers/envFrom/configMapRef/name
        -/v1/ConfigMap @pod initContainers/envFrom/configMapRef/name
        -/v1/ConfigMap @pod volumes/projected/sources/configMap/name
        -/v1/ConfigMap Node spec/configSource/configMap
        -/v1/ConfigMap Role rules/resourceNames
        -/v1/ConfigMap ClusterRole rules/resourceNames
        -/v1/ConfigMap Ingress metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap
        -/v1/Secret @pod volumes/secret/secretName
        -/v1/Secret @pod containers/env/valueFrom/secretKeyRef/name
        -/v1/Secret @pod initContainers/env/valueFrom/secretKeyRef/name
        -/v1/Secret @pod containers/envFrom/secretRef/name
        -/v1/Secret @pod initContainers/envFrom/secretRef/name
        -/v1/Secret @pod imagePullSecrets/name
        -/v1/Secret @pod volumes/projected/sources/secret/name
        -/v1/Secret Ingress spec/tls/secretName
        -/v1/Secret Ingress metadata/annotations/ingress.kubernetes.io\/auth-secret
        -/v1/Secret Ingress metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret
        -/v1/Secret Ingress metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret
        -/v1/Secret ServiceAccount imagePullSecrets/name
        -/v1/Secret StorageClass parameters/secretName
        -/v1/Secret StorageClass parameters/adminSecretName
        -/v1/Secret StorageClass parameters/userSecretName
        -/v1/Secret StorageClass parameters/secretRef
        -/v1/Secret Role rules/resourceNames
        -/v1/Secret ClusterRole rules/resourceNames
        -/v1/Secret serving.knative.dev/v1/Service spec/template/spec/containers/env/valueFrom/secretKeyRef/name
        -/v1/Secret PersistentVolume spec/azureFile/secretName
        -/v1/Service apps/-/StatefulSet spec/serviceName
        -/v1/Service Ingress spec/rules/http/paths/backend/serviceName
        -/v1/Service Ingress spec/backend/serviceName
        -/v1/Service Ingress spec/rules/http/paths/backend/service/name
        -/v1/Service Ingress spec/defaultBackend/service/name
        -/v1/Service apiregistration.k8s.io/-/APIService spec/service/name
        -/v1/Service admissionregistration.k8s.io/-/ValidatingWebhookConfiguration webhooks/clientConfig/service
        -/v1/Service admissionregistration.k8s.io/-/MutatingWebhookConfiguration webhooks/clientConfig/service
        rbac.authorization.k8s.io/-/Role rbac.authorization.k8s.io/-/RoleBinding roleRef/name
        rbac.authorization.k8s.io/-/ClusterRole rbac.authorization.k8s.io/-/RoleBinding roleRef/name
        rbac.authorization.k8s.io/-/ClusterRole rbac.authorization.k8s.io/-/ClusterRoleBinding roleRef/name
        -/v1/ServiceAccount rbac.authorization.k8s.io/-/RoleBinding subjects
        -/v1/ServiceAccount rbac.authorization.k8s.io/-/ClusterRoleBinding subjects
        -/v1/ServiceAccount @podx serviceAccountName
        -/v1/PersistentVolumeClaim @podx volumes/persistentVolumeClaim/claimName
        -/v1/PersistentVolume PersistentVolumeClaim spec/volumeName
        -/v1/PersistentVolume ClusterRole rules/resourceNames
        storage.k8s.io/v1/StorageClass PersistentVolume spec/storageClassName
        storage.k8s.io/v1/StorageClass PersistentVolumeClaim spec/storageClassName
        storage.k8s.io/v1/StorageClass StatefulSet spec/volumeClaimTemplates/spec/storageClassName
        scheduling.k8s.io/v1/PriorityClass @podx priorityClassName
        networking.k8s.io\/v1/v1/IngressClass Ingress spec/ingressClassName
        admissionregistration.k8s.io/-/ValidatingAdmissionPolicy admissionregistration.k8s.io/-/ValidatingAdmissionPolicyBinding spec/policyName
        """;

    // Workloads for '@podx' rows (service accounts, claims, priority classes): kustomize lists these without PodTemplate/ReplicaSet but with ReplicationController.
    private static readonly (string Kind, string PodSpec)[] PodxWorkloads =
    [
        ("Pod", "spec"),
        ("StatefulSet", "spec/template/spec"),
        ("Deployment", "spec/template/spec"),
        ("ReplicationController", "spec/template/spec"),
        ("CronJob", "spec/jobTemplate/spec/template/spec"),
        ("Job", "spec/template/spec"),
        ("DaemonSet", "spec/template/spec"),
    ];

    public static TransformerConfig Create()
    {
        var config = new TransformerConfig();
        config.NamePrefix.Add(new FieldSpec(Gvk.Empty, "metadata/name", false));
        config.NameSuffix.Add(new FieldSpec(Gvk.Empty, "metadata/name", false));
        config.Namespace.AddRange(Rows(Namespace));
        config.CommonLabels.AddRange(Rows(Selectors));
        config.CommonLabels.AddRange(Rows(Labels));
        config.TemplateLabels.AddRange(Rows(Labels));
        config.CommonAnnotations.AddRange(Rows(Annotations));
        config.Images.AddRange(Rows(Images));
        config.Replicas.AddRange(Rows(Replicas));
        config.VarReference.AddRange(Rows(VarReference));
        foreach (var (kind, _, _, podSpec) in Workloads)
        {
            if (kind == "PodTemplate")
            {
                continue;
            }

            foreach (var container in new[] { "containers", "initContainers" })
            {
                foreach (var field in new[] { "args", "command", "env/value", "volumeMounts/mountPath" })
                {
                    config.VarReference.Add(new FieldSpec(new Gvk("", "", kind), $"{podSpec}/{container}/{field}", false));
                }
            }

            var volumes = kind == "CronJob" ? "spec/jobTemplate/spec/template/volumes" : podSpec + "/volumes";
            config.VarReference.Add(new FieldSpec(new Gvk("", "", kind), volumes + "/nfs/server", false));
        }

        foreach (var line in Lines(NameReferences))
        {
            var parts = line.Split(' ');
            var target = Selector(parts[0]);
            var specs = new List<FieldSpec>();
            if (parts[1] == "@pod")
            {
                foreach (var (kind, group, version, podSpec) in Workloads)
                {
                    if (kind == "CronJob" && parts[2].EndsWith("imagePullSecrets/name", StringComparison.Ordinal))
                    {
                        specs.Add(new FieldSpec(new Gvk(group, version, kind), $"{podSpec}/{parts[2]}", false));
                        continue;
                    }

                    specs.Add(new FieldSpec(new Gvk(group, version, kind), $"{podSpec}/{parts[2]}", false));
                }
            }
            else if (parts[1] == "@podx")
            {
                foreach (var (kind, podSpec) in PodxWorkloads)
                {
                    specs.Add(new FieldSpec(new Gvk("", "", kind), $"{podSpec}/{parts[2]}", false));
                }
            }
            else
            {
                specs.Add(new FieldSpec(Selector(parts[1]), parts[2], false));
            }

            config.AddNameReference(target, specs);
        }

        return config;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<FieldSpec> Rows(string text) =>
        Lines(text).Select(line =>
        {
            var parts = line.Split(' ');
            return new FieldSpec(parts[0] == "*" ? Gvk.Empty : Selector(parts[0]), parts[1], parts.Length > 2 && parts[2] == "create");
        });

    private static Gvk Selector(string text)
    {
        var parts = FieldSpec.Split(text);
        string Part(string p) => p == "-" ? string.Empty : p;
        return parts.Length == 1 ? new Gvk("", "", parts[0]) : new Gvk(Part(parts[0]), Part(parts[1]), Part(parts[2]));
    }
}
