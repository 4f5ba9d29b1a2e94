using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Ingress health: Healthy once the controller publishes a load-balancer address, else Progressing.</summary>
internal static class IngressHealth
{
    public static HealthStatus Assess(JsonObject live) =>
        ServiceHealth.HasLoadBalancerIngress(live) ? HealthStatus.Healthy : new HealthStatus(HealthStatusCode.Progressing);
}
