using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>CronJob health after Argo CD's built-in <c>batch/CronJob</c> check: only a finished, failed last run is Degraded.</summary>
internal static class CronJobHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        // Argo currently reports Healthy here as a work-around for its own app-level aggregation (argo-cd#24428);
        // Ferry has no such problem, so a suspended CronJob is Suspended, as Argo's health documentation intends.
        if (live.IsTrue("spec", "suspend"))
        {
            return new HealthStatus(HealthStatusCode.Suspended, "CronJob is Suspended");
        }

        if (live.At("status") is not JsonObject)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for CronJob");
        }

        if (Time(live, "lastScheduleTime") is not { } lastSchedule)
        {
            return new HealthStatus(HealthStatusCode.Healthy, "CronJob has not been scheduled yet");
        }

        if (Time(live, "lastSuccessfulTime") is not { } lastSuccess)
        {
            // The first run may still be going, or may never succeed: there is no telling which.
            return new HealthStatus(HealthStatusCode.Healthy, "The CronJob never completed successfully. It may not be healthy");
        }

        if (live.At("status", "active") is JsonArray { Count: > 0 })
        {
            return new HealthStatus(HealthStatusCode.Healthy, "The job is running. Its last execution may not have been successful");
        }

        if (lastSuccess < lastSchedule)
        {
            return new HealthStatus(HealthStatusCode.Degraded, "CronJob has not completed its last execution successfully");
        }

        return new HealthStatus(HealthStatusCode.Healthy, "CronJob has completed its last execution successfully");
    }

    private static DateTimeOffset? Time(JsonObject live, string field) =>
        DateTimeOffset.TryParse(live.String("status", field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
