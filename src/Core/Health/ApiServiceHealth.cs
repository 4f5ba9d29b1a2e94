using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>APIService health from its Available condition, with Argo's "reason: message" text.</summary>
internal static class ApiServiceHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        if (live.Condition("Available") is not { } available)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting to be processed");
        }

        var code = available.String("status") == "True" ? HealthStatusCode.Healthy : HealthStatusCode.Progressing;
        return new HealthStatus(code, $"{available.String("reason")}: {available.String("message")}");
    }
}
