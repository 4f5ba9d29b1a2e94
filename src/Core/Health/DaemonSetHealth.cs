using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>DaemonSet health: observed generation, then updated and available pods against the desired number scheduled.</summary>
internal static class DaemonSetHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        if (live.LongOrZero("metadata", "generation") > live.LongOrZero("status", "observedGeneration"))
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for rollout to finish: observed daemon set generation less than desired generation");
        }

        var desired = live.LongOrZero("status", "desiredNumberScheduled");
        var updated = live.LongOrZero("status", "updatedNumberScheduled");
        var available = live.LongOrZero("status", "numberAvailable");
        var name = live.Name();
        if (live.String("spec", "updateStrategy", "type") == "OnDelete")
        {
            return Status(HealthStatusCode.Healthy, $"daemon set {updated} out of {desired} new pods have been updated");
        }

        if (updated < desired)
        {
            return Status(HealthStatusCode.Progressing, $"Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...");
        }

        if (available < desired)
        {
            return Status(HealthStatusCode.Progressing, $"Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...");
        }

        return HealthStatus.Healthy;
    }

    private static HealthStatus Status(HealthStatusCode code, FormattableString message) =>
        new(code, message.ToString(CultureInfo.InvariantCulture));
}
