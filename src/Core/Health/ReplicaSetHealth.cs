using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>ReplicaSet health: observed generation, the ReplicaFailure condition, then available replicas.</summary>
internal static class ReplicaSetHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        if (live.LongOrZero("metadata", "generation") > live.LongOrZero("status", "observedGeneration"))
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for rollout to finish: observed replica set generation less than desired generation");
        }

        if (live.Condition("ReplicaFailure") is { } failure && failure.String("status") == "True")
        {
            return new HealthStatus(HealthStatusCode.Degraded, failure.String("message").NullIfEmpty());
        }

        var available = live.LongOrZero("status", "availableReplicas");
        if (live.Long("spec", "replicas") is { } desired && available < desired)
        {
            return new HealthStatus(
                HealthStatusCode.Progressing,
                string.Create(CultureInfo.InvariantCulture, $"Waiting for rollout to finish: {available} out of {desired} new replicas are available..."));
        }

        return HealthStatus.Healthy;
    }
}
