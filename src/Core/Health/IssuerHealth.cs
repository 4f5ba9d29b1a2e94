using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>cert-manager <c>Issuer</c> and <c>ClusterIssuer</c> health from their Ready condition, as Argo CD's bundled checks read it.</summary>
internal static class IssuerHealth
{
    public static HealthStatus Assess(JsonObject live) =>
        FromReady(live) ?? new HealthStatus(HealthStatusCode.Progressing, live.String("kind") == "ClusterIssuer" ? "Initializing ClusterIssuer" : "Initializing issuer");

    /// <summary>Degraded or Healthy (with the condition's message) from the first decided Ready condition, or null while there is none.</summary>
    public static HealthStatus? FromReady(JsonObject live)
    {
        foreach (var condition in live.Objects("status", "conditions").Where(c => c.String("type") == "Ready"))
        {
            switch (condition.String("status"))
            {
                case "False":
                    return new HealthStatus(HealthStatusCode.Degraded, condition.String("message").NullIfEmpty());
                case "True":
                    return new HealthStatus(HealthStatusCode.Healthy, condition.String("message").NullIfEmpty());
            }
        }

        return null;
    }
}
