using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>cert-manager <c>Certificate</c> health as Argo CD's bundled check reads it: an issuance in flight first, then Ready.</summary>
internal static class CertificateHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        // Issuing comes first whatever the order of the conditions: a renewal in flight is Progressing even while the old certificate is Ready.
        if (live.Objects("status", "conditions").FirstOrDefault(c => c.String("type") == "Issuing" && c.String("status") == "True") is { } issuing)
        {
            return new HealthStatus(HealthStatusCode.Progressing, issuing.String("message").NullIfEmpty());
        }

        return IssuerHealth.FromReady(live) ?? new HealthStatus(HealthStatusCode.Progressing, "Waiting for certificate");
    }
}
