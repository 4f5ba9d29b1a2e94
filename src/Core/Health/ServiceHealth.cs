using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Service health: a LoadBalancer is Progressing until the cloud assigns an ingress; every other type is Healthy.</summary>
internal static class ServiceHealth
{
    public static HealthStatus Assess(JsonObject live) =>
        live.String("spec", "type") == "LoadBalancer" && !HasLoadBalancerIngress(live)
            ? new HealthStatus(HealthStatusCode.Progressing)
            : HealthStatus.Healthy;

    /// <summary>True when <c>status.loadBalancer.ingress</c> has at least one entry (shared with Ingress).</summary>
    public static bool HasLoadBalancerIngress(JsonObject live) =>
        live.At("status", "loadBalancer", "ingress") is JsonArray { Count: > 0 };
}
