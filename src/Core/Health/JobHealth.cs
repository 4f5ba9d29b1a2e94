using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Job health from its Failed, Complete and Suspended conditions; Progressing until one of them holds.</summary>
internal static class JobHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        if (True(live, "Failed") is { } failed)
        {
            return new HealthStatus(HealthStatusCode.Degraded, failed.String("message").NullIfEmpty());
        }

        if (True(live, "Complete") is { } complete)
        {
            return new HealthStatus(HealthStatusCode.Healthy, complete.String("message").NullIfEmpty());
        }

        // Argo counts a Suspended condition of any status as finished; a resumed Job (status False) is running
        // again, so only a true condition, or spec.suspend before the controller writes it, means Suspended.
        if (True(live, "Suspended") is { } suspended)
        {
            return new HealthStatus(HealthStatusCode.Suspended, suspended.String("message").NullIfEmpty());
        }

        if (live.IsTrue("spec", "suspend"))
        {
            return new HealthStatus(HealthStatusCode.Suspended, "Job suspended");
        }

        return new HealthStatus(HealthStatusCode.Progressing);
    }

    private static JsonObject? True(JsonObject live, string type) =>
        live.Objects("status", "conditions").FirstOrDefault(c => c.String("type") == type && c.String("status") == "True");
}
