using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Assesses the health of one live object with Argo CD's built-in rules and status names.</summary>
public static class HealthAssessor
{
    /// <summary>The annotation (value <c>"true"</c>) that keeps an object out of its app's health, as in Argo CD.</summary>
    public const string IgnoreHealthCheckAnnotation = "argocd.argoproj.io/ignore-healthcheck";

    /// <summary>
    /// The health of a live object, or null for kinds without a health check (they do not count towards the app's health).
    /// Checked: Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Service, Ingress, PersistentVolumeClaim, Job, CronJob,
    /// APIService, HorizontalPodAutoscaler, Argo CD Application, Argo Workflow and Rollout, cert-manager Certificate/Issuer/ClusterIssuer,
    /// Flux (<c>*.toolkit.fluxcd.io</c>), Crossplane (<c>*.crossplane.io</c>, <c>*.upbound.io</c>), and other custom resources with a Ready condition.
    /// </summary>
    public static HealthStatus? Assess(JsonObject live) => Assess(live, ResourceCustomizations.None);

    /// <summary>An assessor that runs the Lua health scripts of <paramref name="customizations"/> before the built-in checks, as Argo CD does.</summary>
    public static Func<JsonObject, HealthStatus?> With(ResourceCustomizations customizations)
    {
        ArgumentNullException.ThrowIfNull(customizations);
        return customizations.IsEmpty ? Assess : live => Assess(live, customizations);
    }

    /// <summary>
    /// The health of a live object: a matching Lua health script decides when there is one (errors are Unknown with the script's
    /// message), else the built-in check; null for kinds without either.
    /// </summary>
    public static HealthStatus? Assess(JsonObject live, ResourceCustomizations customizations)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(customizations);

        // Any object being deleted is on its way out, whatever its kind; a hook finalizer holds it until the phase ends.
        if (live.At("metadata", "deletionTimestamp") is JsonValue && !HookAnnotations.HasHookFinalizer(live))
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Pending deletion");
        }

        var apiVersion = live.String("apiVersion") ?? string.Empty;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var kind = live.String("kind") ?? string.Empty;
        if (customizations.FindHealthScript(group, kind) is var (key, script))
        {
            return LuaHealthScript.Run(script, ScriptName(key), live);
        }

        return (group, kind) switch
        {
            ("apps", "Deployment") => DeploymentHealth.Assess(live),
            ("apps", "StatefulSet") => StatefulSetHealth.Assess(live),
            ("apps", "DaemonSet") => DaemonSetHealth.Assess(live),
            ("apps", "ReplicaSet") => ReplicaSetHealth.Assess(live),
            ("", "Pod") => PodHealth.Assess(live),
            ("", "Service") => ServiceHealth.Assess(live),
            ("", "PersistentVolumeClaim") => PersistentVolumeClaimHealth.Assess(live),
            ("networking.k8s.io" or "extensions", "Ingress") => IngressHealth.Assess(live),
            ("batch", "Job") => JobHealth.Assess(live),
            ("batch", "CronJob") => CronJobHealth.Assess(live),
            ("apiregistration.k8s.io", "APIService") => ApiServiceHealth.Assess(live),
            ("autoscaling", "HorizontalPodAutoscaler") => HorizontalPodAutoscalerHealth.Assess(live, version),
            ("argoproj.io", "Application") => ApplicationHealth.Assess(live),
            ("argoproj.io", "Workflow") => WorkflowHealth.Assess(live),
            ("argoproj.io", "Rollout") => RolloutHealth.Assess(live),
            ("cert-manager.io", "Certificate") => CertificateHealth.Assess(live),
            ("cert-manager.io", "Issuer" or "ClusterIssuer") => IssuerHealth.Assess(live),
            _ when group.EndsWith(".toolkit.fluxcd.io", StringComparison.Ordinal) => FluxHealth.Assess(live, group),
            _ when group.EndsWith(".crossplane.io", StringComparison.Ordinal) || group.EndsWith(".upbound.io", StringComparison.Ordinal)
                || group is "crossplane.io" or "upbound.io" => CrossplaneHealth.Assess(live, group),
            _ when IsCustomResourceGroup(group) => ReadyConditionHealth.Assess(live),
            _ => null,
        };
    }

    /// <summary>
    /// False for objects Argo CD leaves out of an app's health: sync hooks (their health drives the hook, not the app)
    /// and objects annotated <c>argocd.argoproj.io/ignore-healthcheck: "true"</c>.
    /// </summary>
    public static bool ContributesToAppHealth(JsonObject live)
    {
        ArgumentNullException.ThrowIfNull(live);
        return !HookAnnotations.IsHook(live) && live.Annotation(IgnoreHealthCheckAnnotation) != "true";
    }

    /// <summary>The name a script's errors carry: its argocd-cm key (<c>resource.customizations.health.cert-manager.io_Certificate</c>).</summary>
    public static string ScriptName(string key) => "resource.customizations.health." + key.Replace('/', '_');

    /// <summary>Groups served by CRDs or aggregated servers rather than Kubernetes itself (<c>*.x-k8s.io</c> are SIG projects' CRDs).</summary>
    private static bool IsCustomResourceGroup(string group) =>
        group.Contains('.', StringComparison.Ordinal)
        && (!group.EndsWith(".k8s.io", StringComparison.Ordinal) || group.EndsWith(".x-k8s.io", StringComparison.Ordinal));
}
