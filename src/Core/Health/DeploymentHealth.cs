using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Deployment health as <c>kubectl rollout status</c> reads it, with Argo CD's messages.</summary>
internal static class DeploymentHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        if (live.IsTrue("spec", "paused"))
        {
            return new HealthStatus(HealthStatusCode.Suspended, "Deployment is paused");
        }

        if (live.LongOrZero("metadata", "generation") > live.LongOrZero("status", "observedGeneration"))
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for rollout to finish: observed deployment generation less than desired generation");
        }

        var desired = live.Long("spec", "replicas");
        var replicas = live.LongOrZero("status", "replicas");
        var updated = live.LongOrZero("status", "updatedReplicas");
        var available = live.LongOrZero("status", "availableReplicas");
        if (live.Condition("Progressing")?.String("reason") == "ProgressDeadlineExceeded")
        {
            return new HealthStatus(HealthStatusCode.Degraded, $"Deployment \"{live.Name()}\" exceeded its progress deadline");
        }

        if (desired is { } want && updated < want)
        {
            return Progressing($"Waiting for rollout to finish: {updated} out of {want} new replicas have been updated...");
        }

        if (replicas > updated)
        {
            return Progressing($"Waiting for rollout to finish: {replicas - updated} old replicas are pending termination...");
        }

        if (available < updated)
        {
            return Progressing($"Waiting for rollout to finish: {available} of {updated} updated replicas are available...");
        }

        return HealthStatus.Healthy;
    }

    private static HealthStatus Progressing(FormattableString message) =>
        new(HealthStatusCode.Progressing, message.ToString(CultureInfo.InvariantCulture));
}
