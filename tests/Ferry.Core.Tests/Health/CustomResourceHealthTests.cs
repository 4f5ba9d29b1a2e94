using Ferry.Core.Health;

namespace Ferry.Core.Tests.Health;

/// <summary>The built-in checks for the CRDs Argo CD bundles Lua checks for, one theory per check, with Argo's statuses and messages.</summary>
public class CustomResourceHealthTests
{
    [Theory]
    [InlineData("Certificate/new", HealthStatusCode.Progressing, "Waiting for certificate")]
    [InlineData("Certificate/renewing", HealthStatusCode.Progressing, "Renewing certificate as renewal was scheduled at 2026-12-01")]
    [InlineData("Certificate/issued", HealthStatusCode.Healthy, "Certificate is up to date and has not expired")]
    [InlineData("Certificate/failed", HealthStatusCode.Degraded, "Issuer letsencrypt not found")]
    [InlineData("Certificate/ready-unknown", HealthStatusCode.Progressing, "Waiting for certificate")]
    public void Certificate_Row_AsArgo(string id, HealthStatusCode code, string? message) => Check("cert-manager.yaml", id, code, message);

    [Theory]
    [InlineData("Issuer/new", HealthStatusCode.Progressing, "Initializing issuer")]
    [InlineData("Issuer/ready", HealthStatusCode.Healthy, "The ACME account was registered with the ACME server")]
    [InlineData("ClusterIssuer/new", HealthStatusCode.Progressing, "Initializing ClusterIssuer")]
    [InlineData("ClusterIssuer/broken", HealthStatusCode.Degraded, "Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidEmail")]
    public void Issuer_Row_AsArgo(string id, HealthStatusCode code, string? message) => Check("cert-manager.yaml", id, code, message);

    [Theory]
    [InlineData("Rollout/new", HealthStatusCode.Progressing, "Waiting for rollout spec update to be observed")]
    [InlineData("Rollout/new-generation", HealthStatusCode.Progressing, "Waiting for rollout spec update to be observed")]
    [InlineData("Rollout/legacy-hash-generation", HealthStatusCode.Healthy, null)]
    [InlineData("Rollout/invalid", HealthStatusCode.Degraded, "The Rollout \"invalid\" is invalid: spec.strategy.strategy: Required value")]
    [InlineData("Rollout/aborted", HealthStatusCode.Degraded, "Rollout is aborted")]
    [InlineData("Rollout/timed-out", HealthStatusCode.Degraded, "ReplicaSet \"web-6b8cf6f7db\" has timed out progressing.")]
    [InlineData("Rollout/controller-pause", HealthStatusCode.Suspended, "Rollout is paused")]
    [InlineData("Rollout/user-pause", HealthStatusCode.Suspended, "Rollout is paused")]
    [InlineData("Rollout/unreconciled", HealthStatusCode.Progressing, "Waiting for rollout to finish: status has not been reconciled.")]
    [InlineData("Rollout/updating", HealthStatusCode.Progressing, "Waiting for roll out to finish: More replicas need to be updated")]
    [InlineData("Rollout/becoming-available", HealthStatusCode.Progressing, "Waiting for roll out to finish: updated replicas are still becoming available")]
    [InlineData("Rollout/old-replicas", HealthStatusCode.Progressing, "Waiting for roll out to finish: old replicas are pending termination")]
    [InlineData("Rollout/steps-left", HealthStatusCode.Progressing, "Waiting for rollout to finish steps")]
    [InlineData("Rollout/canary-done", HealthStatusCode.Healthy, null)]
    [InlineData("Rollout/cutover-pending", HealthStatusCode.Progressing, "active service cutover pending")]
    [InlineData("Rollout/analysis-pending", HealthStatusCode.Progressing, "waiting for analysis to complete")]
    [InlineData("Rollout/blue-green-done", HealthStatusCode.Healthy, null)]
    public void Rollout_Row_AsArgo(string id, HealthStatusCode code, string? message) => Check("rollouts.yaml", id, code, message);

    [Theory]
    [InlineData("Kustomization/suspended", HealthStatusCode.Suspended, "Kustomization is suspended")]
    [InlineData("Kustomization/new", HealthStatusCode.Progressing, "Status unknown")]
    [InlineData("Kustomization/ready", HealthStatusCode.Healthy, "Applied revision: main@sha1:0123abc")]
    [InlineData("Kustomization/reconciling", HealthStatusCode.Progressing, "Reconciliation in progress")]
    [InlineData("Kustomization/stalled", HealthStatusCode.Degraded, "kustomization path not found")]
    [InlineData("Kustomization/old-generation", HealthStatusCode.Progressing, "Waiting for the controller to observe generation 3 (observed 2)")]
    [InlineData("Kustomization/reason-only", HealthStatusCode.Degraded, "DependencyNotReady")]
    [InlineData("HelmRelease/released", HealthStatusCode.Healthy, "Helm install succeeded for release web/web.v1")]
    [InlineData("HelmRelease/ready-not-released", HealthStatusCode.Degraded, "Helm install succeeded")]
    [InlineData("GitRepository/stored", HealthStatusCode.Healthy, "stored artifact for revision 'main@sha1:0123abc'")]
    [InlineData("GitRepository/not-stored", HealthStatusCode.Degraded, "stored artifact")]
    [InlineData("HelmRepository/oci", HealthStatusCode.Healthy, "Helm repositories of type 'oci' do not contain any information in the status.")]
    public void Flux_Row_AsArgo(string id, HealthStatusCode code, string? message) => Check("flux.yaml", id, code, message);

    [Theory]
    [InlineData("Composition/no-status", HealthStatusCode.Healthy, "Resource is up-to-date.")]
    [InlineData("Bucket/creating", HealthStatusCode.Progressing, "Provisioning ...")]
    [InlineData("Bucket/ready", HealthStatusCode.Healthy, "Resource is up-to-date.")]
    [InlineData("Bucket/ready-but-not-synced", HealthStatusCode.Degraded, "cannot update bucket: AccessDenied")]
    [InlineData("Bucket/async-failed", HealthStatusCode.Degraded, "create failed: BucketAlreadyExists")]
    [InlineData("Provider/healthy-provider", HealthStatusCode.Healthy, "Resource is up-to-date.")]
    [InlineData("ProviderConfig/in-use", HealthStatusCode.Healthy, "Resource is in use.")]
    public void Crossplane_Row_AsArgo(string id, HealthStatusCode code, string? message) => Check("crossplane.yaml", id, code, message);

    [Theory]
    [InlineData("cert-manager.yaml")]
    [InlineData("rollouts.yaml")]
    [InlineData("flux.yaml")]
    [InlineData("crossplane.yaml")]
    public void TestData_EveryObjectHasARow(string file)
    {
        var rows = typeof(CustomResourceHealthTests).GetMethods()
            .SelectMany(m => m.GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>())
            .Select(a => a.GetData(null!).Single()[0] as string)
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(LiveObjects.TestData(file).Select(LiveObjects.Id), id => Assert.Contains(id, rows));
    }

    private static void Check(string file, string id, HealthStatusCode code, string? message) =>
        Assert.Equal(new HealthStatus(code, message), HealthAssessor.Assess(LiveObjects.Find(LiveObjects.TestData(file), id)));
}
