using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>
/// The generic check for custom resources that publish a <c>Ready</c> condition (cert-manager, Flux, Crossplane and other
/// kstatus-style controllers); Argo needs a Lua script per kind for these, Ferry reads the common convention.
/// </summary>
internal static class ReadyConditionHealth
{
    /// <summary>The status, or null when the object has no <c>Ready</c> condition (then it has no health check).</summary>
    public static HealthStatus? Assess(JsonObject live)
    {
        if (live.Condition("Ready") is not { } ready)
        {
            return null;
        }

        var generation = live.Long("metadata", "generation");
        var observed = live.Long("status", "observedGeneration");
        if (generation is { } want && observed is { } seen && seen < want)
        {
            return new HealthStatus(
                HealthStatusCode.Progressing,
                string.Create(CultureInfo.InvariantCulture, $"Waiting for the controller to observe generation {want} (observed {seen})"));
        }

        if (IsTrue(live.Condition("Stalled")) is { } stalled)
        {
            return new HealthStatus(HealthStatusCode.Degraded, stalled.String("message").NullIfEmpty());
        }

        if (IsTrue(live.Condition("Reconciling")) is { } reconciling)
        {
            return new HealthStatus(HealthStatusCode.Progressing, reconciling.String("message").NullIfEmpty());
        }

        var message = ready.String("message").NullIfEmpty();
        return ready.String("status") switch
        {
            "True" => new HealthStatus(HealthStatusCode.Healthy, message),
            "False" => new HealthStatus(HealthStatusCode.Degraded, message),
            _ => new HealthStatus(HealthStatusCode.Progressing, message),
        };
    }

    private static JsonObject? IsTrue(JsonObject? condition) => condition?.String("status") == "True" ? condition : null;
}
