using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>PersistentVolumeClaim health from its phase: Bound, Pending, Lost.</summary>
internal static class PersistentVolumeClaimHealth
{
    public static HealthStatus Assess(JsonObject live) => live.String("status", "phase") switch
    {
        "Bound" => HealthStatus.Healthy,
        "Pending" => new HealthStatus(HealthStatusCode.Progressing),
        "Lost" => new HealthStatus(HealthStatusCode.Degraded),
        _ => new HealthStatus(HealthStatusCode.Unknown),
    };
}
