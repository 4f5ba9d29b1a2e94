using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Argo Workflows <c>Workflow</c> health from its phase, as gitops-engine assesses it.</summary>
internal static class WorkflowHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        var message = live.String("status", "message").NullIfEmpty();
        var code = (live.String("status", "phase") ?? string.Empty) switch
        {
            "" or "Pending" or "Running" => HealthStatusCode.Progressing,
            "Succeeded" => HealthStatusCode.Healthy,
            "Failed" or "Error" => HealthStatusCode.Degraded,
            _ => HealthStatusCode.Unknown,
        };
        return new HealthStatus(code, message);
    }
}
