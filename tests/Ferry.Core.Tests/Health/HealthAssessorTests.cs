using System.Text.Json.Nodes;
using Ferry.Core.Health;

namespace Ferry.Core.Tests.Health;

public class HealthAssessorTests
{
    /// <summary>Every object recorded from the real cluster, with the status Argo CD gives it.</summary>
    public static TheoryData<string, string, HealthStatusCode?, string?> Recorded { get; } = new()
    {
        { "kwok-deployment-available.json", "Deployment/available", HealthStatusCode.Healthy, null },
        { "kwok-deployment-paused.json", "Deployment/paused", HealthStatusCode.Suspended, "Deployment is paused" },
        { "kwok-pods.json", "Pod/available-794ff4b8d5-hrflh", HealthStatusCode.Healthy, null },
        { "kwok-pods.json", "Pod/available-794ff4b8d5-vjb6d", HealthStatusCode.Healthy, null },
        { "kwok-pods.json", "Pod/sts-0", HealthStatusCode.Healthy, null },
        { "kwok-replicasets.json", "ReplicaSet/available-794ff4b8d5", HealthStatusCode.Healthy, null },
        { "kwok-statefulset-sts.json", "StatefulSet/sts", HealthStatusCode.Healthy, "partitioned roll out complete: 1 new pods have been updated..." },
        { "nokubelet-daemonset-ds.json", "DaemonSet/ds", HealthStatusCode.Healthy, null },
        { "nokubelet-deployment-deadline.json", "Deployment/deadline", HealthStatusCode.Degraded, "Deployment \"deadline\" exceeded its progress deadline" },
        { "nokubelet-deployment-progressing.json", "Deployment/progressing", HealthStatusCode.Progressing, "Waiting for rollout to finish: 0 of 2 updated replicas are available..." },
        { "nokubelet-job-job.json", "Job/job", HealthStatusCode.Progressing, null },
        { "nokubelet-pods.json", "Pod/deadline-fb97c574b-lxj7x", HealthStatusCode.Progressing, null },
        { "nokubelet-pods.json", "Pod/job-h6ns5", HealthStatusCode.Progressing, null },
        { "nokubelet-pods.json", "Pod/progressing-5f6f5ccd79-kwg48", HealthStatusCode.Progressing, null },
        { "nokubelet-pods.json", "Pod/progressing-5f6f5ccd79-lqdkx", HealthStatusCode.Progressing, null },
        { "nokubelet-pods.json", "Pod/sts-0", HealthStatusCode.Progressing, null },
        { "nokubelet-pvc-data.json", "PersistentVolumeClaim/data", HealthStatusCode.Progressing, null },
        { "nokubelet-replicasets.json", "ReplicaSet/deadline-fb97c574b", HealthStatusCode.Progressing, "Waiting for rollout to finish: 0 out of 1 new replicas are available..." },
        { "nokubelet-replicasets.json", "ReplicaSet/progressing-5f6f5ccd79", HealthStatusCode.Progressing, "Waiting for rollout to finish: 0 out of 2 new replicas are available..." },
        { "nokubelet-service-lb.json", "Service/lb", HealthStatusCode.Progressing, null },
        { "nokubelet-statefulset-sts.json", "StatefulSet/sts", HealthStatusCode.Progressing, "Waiting for 1 pods to be ready..." },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Assess_RecordedObject_MatchesArgo(string file, string id, HealthStatusCode? code, string? message)
    {
        var live = LiveObjects.Find(LiveObjects.Recorded(file), id);

        var health = HealthAssessor.Assess(live);

        Assert.Equal(Expected(code, message), health);
    }

    [Fact]
    public void Assess_RecordedFixtures_EveryObjectHasARow()
    {
        var recorded = LiveObjects.RecordedFiles()
            .SelectMany(f => LiveObjects.Recorded(f).Select(o => $"{f} {LiveObjects.Id(o)}"))
            .Order(StringComparer.Ordinal);
        var rows = Recorded.Select(r => $"{r[0]} {r[1]}").Order(StringComparer.Ordinal);

        Assert.Equal(rows, recorded);
    }

    [Theory]
    [InlineData("workloads.yaml", "Deployment/generation-pending", HealthStatusCode.Progressing, "Waiting for rollout to finish: observed deployment generation less than desired generation")]
    [InlineData("workloads.yaml", "Deployment/updating", HealthStatusCode.Progressing, "Waiting for rollout to finish: 1 out of 3 new replicas have been updated...")]
    [InlineData("workloads.yaml", "Deployment/old-replicas", HealthStatusCode.Progressing, "Waiting for rollout to finish: 1 old replicas are pending termination...")]
    [InlineData("workloads.yaml", "StatefulSet/never-observed", HealthStatusCode.Progressing, "Waiting for statefulset spec update to be observed...")]
    [InlineData("workloads.yaml", "StatefulSet/on-delete", HealthStatusCode.Healthy, "statefulset has 2 ready pods")]
    [InlineData("workloads.yaml", "StatefulSet/partitioned", HealthStatusCode.Progressing, "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...")]
    [InlineData("workloads.yaml", "StatefulSet/rolling", HealthStatusCode.Progressing, "waiting for statefulset rolling update to complete 1 pods at revision rolling-bbb...")]
    [InlineData("workloads.yaml", "StatefulSet/rolled", HealthStatusCode.Healthy, "statefulset rolling update complete 2 pods at revision rolled-bbb...")]
    [InlineData("workloads.yaml", "DaemonSet/updating", HealthStatusCode.Progressing, "Waiting for daemon set \"updating\" rollout to finish: 1 out of 3 new pods have been updated...")]
    [InlineData("workloads.yaml", "DaemonSet/unavailable", HealthStatusCode.Progressing, "Waiting for daemon set \"unavailable\" rollout to finish: 2 of 3 updated pods are available...")]
    [InlineData("workloads.yaml", "DaemonSet/on-delete", HealthStatusCode.Healthy, "daemon set 1 out of 3 new pods have been updated")]
    [InlineData("workloads.yaml", "DaemonSet/generation-pending", HealthStatusCode.Progressing, "Waiting for rollout to finish: observed daemon set generation less than desired generation")]
    [InlineData("workloads.yaml", "ReplicaSet/quota", HealthStatusCode.Degraded, "pods \"quota-x\" is forbidden: exceeded quota: compute")]
    [InlineData("workloads.yaml", "ReplicaSet/generation-pending", HealthStatusCode.Progressing, "Waiting for rollout to finish: observed replica set generation less than desired generation")]
    [InlineData("pods.yaml", "Pod/crashloop", HealthStatusCode.Degraded, "back-off 5m0s restarting failed container=web pod=crashloop_shop")]
    [InlineData("pods.yaml", "Pod/image-pull", HealthStatusCode.Degraded, "Back-off pulling image \"example.invalid/web:1\", rpc error: pull access denied")]
    [InlineData("pods.yaml", "Pod/config-error", HealthStatusCode.Degraded, "secret \"db\" not found")]
    [InlineData("pods.yaml", "Pod/creating", HealthStatusCode.Progressing, null)]
    [InlineData("pods.yaml", "Pod/hook-image-pull", HealthStatusCode.Progressing, null)]
    [InlineData("pods.yaml", "Pod/oom", HealthStatusCode.Degraded, "OOMKilled")]
    [InlineData("pods.yaml", "Pod/exit-code", HealthStatusCode.Degraded, "container \"main\" failed with exit code 2")]
    [InlineData("pods.yaml", "Pod/evicted", HealthStatusCode.Degraded, "The node was low on resource: memory.")]
    [InlineData("pods.yaml", "Pod/succeeded", HealthStatusCode.Healthy, null)]
    [InlineData("pods.yaml", "Pod/running-never", HealthStatusCode.Progressing, null)]
    [InlineData("pods.yaml", "Pod/running-never-ignore-policy", HealthStatusCode.Healthy, null)]
    [InlineData("pods.yaml", "Pod/hook-running-ignore-policy", HealthStatusCode.Progressing, null)]
    [InlineData("pods.yaml", "Pod/not-ready", HealthStatusCode.Progressing, null)]
    [InlineData("pods.yaml", "Pod/restarted-not-ready", HealthStatusCode.Degraded, "container web is restarting")]
    [InlineData("pods.yaml", "Pod/deleting", HealthStatusCode.Progressing, "Pending deletion")]
    [InlineData("pods.yaml", "Pod/deleting-hook", HealthStatusCode.Healthy, null)]
    [InlineData("pods.yaml", "Pod/phase-unknown", HealthStatusCode.Unknown, null)]
    [InlineData("network-storage.yaml", "Service/lb-assigned", HealthStatusCode.Healthy, null)]
    [InlineData("network-storage.yaml", "Service/cluster-ip", HealthStatusCode.Healthy, null)]
    [InlineData("network-storage.yaml", "Ingress/assigned", HealthStatusCode.Healthy, null)]
    [InlineData("network-storage.yaml", "Ingress/unassigned", HealthStatusCode.Progressing, null)]
    [InlineData("network-storage.yaml", "Ingress/legacy-unassigned", HealthStatusCode.Progressing, null)]
    [InlineData("network-storage.yaml", "PersistentVolumeClaim/bound", HealthStatusCode.Healthy, null)]
    [InlineData("network-storage.yaml", "PersistentVolumeClaim/lost", HealthStatusCode.Degraded, null)]
    [InlineData("network-storage.yaml", "PersistentVolumeClaim/no-status", HealthStatusCode.Unknown, null)]
    [InlineData("batch.yaml", "Job/complete", HealthStatusCode.Healthy, null)]
    [InlineData("batch.yaml", "Job/failed", HealthStatusCode.Degraded, "Job has reached the specified backoff limit")]
    [InlineData("batch.yaml", "Job/suspended", HealthStatusCode.Suspended, "Job suspended")]
    [InlineData("batch.yaml", "Job/suspend-not-observed", HealthStatusCode.Suspended, "Job suspended")]
    [InlineData("batch.yaml", "Job/resumed", HealthStatusCode.Progressing, null)]
    [InlineData("batch.yaml", "CronJob/suspended", HealthStatusCode.Suspended, "CronJob is Suspended")]
    [InlineData("batch.yaml", "CronJob/last-failed", HealthStatusCode.Degraded, "CronJob has not completed its last execution successfully")]
    [InlineData("batch.yaml", "CronJob/last-succeeded", HealthStatusCode.Healthy, "CronJob has completed its last execution successfully")]
    [InlineData("batch.yaml", "CronJob/running", HealthStatusCode.Healthy, "The job is running. Its last execution may not have been successful")]
    [InlineData("batch.yaml", "CronJob/never-succeeded", HealthStatusCode.Healthy, "The CronJob never completed successfully. It may not be healthy")]
    [InlineData("batch.yaml", "CronJob/never-scheduled", HealthStatusCode.Healthy, "CronJob has not been scheduled yet")]
    [InlineData("batch.yaml", "CronJob/no-status", HealthStatusCode.Progressing, "Waiting for CronJob")]
    [InlineData("other.yaml", "APIService/v1beta1.metrics.k8s.io", HealthStatusCode.Healthy, "Passed: all checks passed")]
    [InlineData("other.yaml", "APIService/v1beta1.custom.metrics.k8s.io", HealthStatusCode.Progressing, "MissingEndpoints: endpoints for service/custom-metrics in \"monitoring\" have no addresses")]
    [InlineData("other.yaml", "APIService/v1.external.metrics.k8s.io", HealthStatusCode.Progressing, "Waiting to be processed")]
    [InlineData("other.yaml", "HorizontalPodAutoscaler/scaling", HealthStatusCode.Healthy, "recommended size matches current size")]
    [InlineData("other.yaml", "HorizontalPodAutoscaler/no-metrics", HealthStatusCode.Degraded, "the HPA was unable to compute the replica count: failed to get cpu utilization")]
    [InlineData("other.yaml", "HorizontalPodAutoscaler/new", HealthStatusCode.Progressing, "Waiting to Autoscale")]
    [InlineData("other.yaml", "HorizontalPodAutoscaler/v1-limited", HealthStatusCode.Healthy, "the desired replica count is less than the minimum replica count")]
    [InlineData("other.yaml", "HorizontalPodAutoscaler/v1-no-annotation", HealthStatusCode.Progressing, "Waiting to Autoscale")]
    [InlineData("other.yaml", "HorizontalPodAutoscaler/v1-bad-annotation", HealthStatusCode.Unknown, "failed to read the autoscaling.alpha.kubernetes.io/conditions annotation: not a JSON list of conditions")]
    [InlineData("other.yaml", "Application/child-degraded", HealthStatusCode.Degraded, "one of the resources is degraded")]
    [InlineData("other.yaml", "Application/child-new", HealthStatusCode.Progressing, null)]
    [InlineData("other.yaml", "Workflow/build", HealthStatusCode.Degraded, "child 'build-1' failed")]
    [InlineData("other.yaml", "Certificate/shop-tls", HealthStatusCode.Healthy, "Certificate is up to date and has not expired")]
    [InlineData("other.yaml", "Certificate/broken-tls", HealthStatusCode.Degraded, "Issuer letsencrypt not found")]
    [InlineData("other.yaml", "Kustomization/apps", HealthStatusCode.Progressing, "Reconciliation in progress")]
    [InlineData("other.yaml", "Kustomization/stalled", HealthStatusCode.Degraded, "kustomization path not found")]
    [InlineData("other.yaml", "Cluster/edge", HealthStatusCode.Progressing, "Waiting for the controller to observe generation 3 (observed 2)")]
    [InlineData("other.yaml", "Widget/no-conditions", null, null)]
    [InlineData("other.yaml", "Gateway/web", null, null)]
    [InlineData("other.yaml", "ConfigMap/settings", null, null)]
    [InlineData("other.yaml", "Secret/creds", null, null)]
    [InlineData("other.yaml", "ConfigMap/deleting", HealthStatusCode.Progressing, "Pending deletion")]
    public void Assess_TestDataObject_MatchesArgo(string file, string id, HealthStatusCode? code, string? message)
    {
        var live = LiveObjects.Find(LiveObjects.TestData(file), id);

        var health = HealthAssessor.Assess(live);

        Assert.Equal(Expected(code, message), health);
    }

    [Theory]
    [InlineData("plain", null, true)]
    [InlineData("argo-hook", """{"argocd.argoproj.io/hook": "PostSync"}""", false)]
    [InlineData("argo-skip-only", """{"argocd.argoproj.io/hook": "Skip"}""", true)]
    [InlineData("helm-hook", """{"helm.sh/hook": "post-install"}""", false)]
    [InlineData("helm-crd-install", """{"helm.sh/hook": "crd-install"}""", true)]
    [InlineData("ignore-healthcheck", """{"argocd.argoproj.io/ignore-healthcheck": "true"}""", false)]
    [InlineData("ignore-healthcheck-false", """{"argocd.argoproj.io/ignore-healthcheck": "false"}""", true)]
    public void ContributesToAppHealth_Annotations_AsArgo(string row, string? annotations, bool expected)
    {
        var live = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = row, ["annotations"] = annotations is null ? null : JsonNode.Parse(annotations) },
        };

        Assert.Equal(expected, HealthAssessor.ContributesToAppHealth(live));
    }

    [Fact]
    public void Assess_NumbersWrittenAsDoubles_ReadAsIntegers()
    {
        var live = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","generation":2.0},
             "spec":{"replicas":3.0},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":1.0}}
            """)!.AsObject();

        Assert.Equal(
            new HealthStatus(HealthStatusCode.Progressing, "Waiting for rollout to finish: 1 of 3 updated replicas are available..."),
            HealthAssessor.Assess(live));
    }

    [Theory]
    [InlineData("exact key beats the built-in check", "v1", "Service", "Degraded", "Service")]
    [InlineData("group/kind key", "example.com/v1", "Widget", "Suspended", "example.com/Widget")]
    [InlineData("exact key beats a wildcard", "ec2.aws.crossplane.io/v1", "Instance", "Progressing", "ec2.aws.crossplane.io/Instance")]
    [InlineData("wildcard group and kind", "s3.aws.crossplane.io/v1", "Bucket", "Healthy", "*.crossplane.io/*")]
    [InlineData("no match keeps the built-in check", "v1", "ConfigMap", null, null)]
    public void Assess_WithCustomizations_ScriptDecidesForMatchingKinds(string row, string apiVersion, string kind, string? expected, string? key)
    {
        var scripts = new[] { "Service", "example.com/Widget", "ec2.aws.crossplane.io/Instance", "*.crossplane.io/*" }
            .ToDictionary(k => k, k => $$"""return {status = "{{Status(k)}}", message = "{{k}}"}""", StringComparer.Ordinal);
        var assess = HealthAssessor.With(new ResourceCustomizations { HealthScripts = scripts });
        var live = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = row } };

        var health = assess(live);

        Assert.Equal(expected is null ? null : new HealthStatus(Enum.Parse<HealthStatusCode>(expected), key), health);
    }

    [Fact]
    public void Assess_ScriptFails_UnknownWithItsErrorNamingTheKey()
    {
        var assess = HealthAssessor.With(new ResourceCustomizations
        {
            HealthScripts = new Dictionary<string, string>(StringComparer.Ordinal) { ["cert-manager.io/Certificate"] = "return obj.status.nothing.here" },
        });

        var health = assess(JsonNode.Parse("""{"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"c"}}""")!.AsObject());

        Assert.Equal(new HealthStatus(HealthStatusCode.Unknown, "resource.customizations.health.cert-manager.io_Certificate:1: attempt to index a nil value (field 'status')"), health);
    }

    private static string Status(string key) => key switch
    {
        "Service" => "Degraded",
        "example.com/Widget" => "Suspended",
        "ec2.aws.crossplane.io/Instance" => "Progressing",
        _ => "Healthy",
    };

    private static HealthStatus? Expected(HealthStatusCode? code, string? message) =>
        code is { } c ? new HealthStatus(c, message) : null;
}
