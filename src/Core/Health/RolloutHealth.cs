using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>
/// Argo Rollouts <c>Rollout</c> health as Argo CD's bundled check reads it: observed generation, failure conditions, pauses,
/// replica counts, then the strategy's own rule (blue-green: the active service points at the new pods; canary: every step done).
/// </summary>
internal static class RolloutHealth
{
    private const string NotObserved = "Waiting for rollout spec update to be observed";

    public static HealthStatus Assess(JsonObject live)
    {
        if (live.At("status") is not JsonObject status || status["observedGeneration"] is not JsonValue observed)
        {
            return new HealthStatus(HealthStatusCode.Progressing, NotObserved);
        }

        // Rollouts before v0.10 wrote a hash here; only a number can be compared with the generation.
        if (ObservedGeneration(observed) is { } generation && generation != live.LongOrZero("metadata", "generation"))
        {
            return new HealthStatus(HealthStatusCode.Progressing, NotObserved);
        }

        foreach (var condition in live.Objects("status", "conditions"))
        {
            var type = condition.String("type");
            var reason = condition.String("reason");
            if (type == "InvalidSpec" || (type == "Progressing" && reason is "RolloutAborted" or "ProgressDeadlineExceeded"))
            {
                return new HealthStatus(HealthStatusCode.Degraded, condition.String("message").NullIfEmpty());
            }
        }

        if (live.At("status", "pauseConditions") is JsonArray { Count: > 0 } || live.IsTrue("spec", "paused"))
        {
            return new HealthStatus(HealthStatusCode.Suspended, "Rollout is paused");
        }

        var podHash = live.String("status", "currentPodHash");
        if (podHash is null)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for rollout to finish: status has not been reconciled.");
        }

        var desired = live.Long("spec", "replicas") ?? 1;
        var replicas = live.LongOrZero("status", "replicas");
        var updated = live.LongOrZero("status", "updatedReplicas");
        var available = live.LongOrZero("status", "availableReplicas");
        if (updated < desired)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for roll out to finish: More replicas need to be updated");
        }

        if (available < updated)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for roll out to finish: updated replicas are still becoming available");
        }

        // Rollouts v0.8 moved status.canary.stableRS to status.stableRS.
        var stable = live.String("status", "stableRS") ?? live.String("status", "canary", "stableRS") ?? string.Empty;
        if (live.At("spec", "strategy", "blueGreen") is JsonObject)
        {
            if (live.String("status", "blueGreen", "activeSelector") != podHash)
            {
                return new HealthStatus(HealthStatusCode.Progressing, "active service cutover pending");
            }

            if (stable.Length > 0 && stable != podHash)
            {
                return new HealthStatus(HealthStatusCode.Progressing, "waiting for analysis to complete");
            }
        }
        else if (live.At("spec", "strategy", "canary") is JsonObject)
        {
            if (replicas > updated)
            {
                return new HealthStatus(HealthStatusCode.Progressing, "Waiting for roll out to finish: old replicas are pending termination");
            }

            if (stable != podHash)
            {
                return new HealthStatus(HealthStatusCode.Progressing, "Waiting for rollout to finish steps");
            }
        }

        return HealthStatus.Healthy;
    }

    private static long? ObservedGeneration(JsonValue observed) =>
        long.TryParse(observed.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation) ? generation : null;
}
