using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>HorizontalPodAutoscaler health: failure reasons are Degraded, AbleToScale or ScalingLimited true is Healthy, else waiting.</summary>
internal static class HorizontalPodAutoscalerHealth
{
    /// <summary>Where autoscaling/v1 objects carry the v2 conditions.</summary>
    public const string V1ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";

    private static readonly HealthStatus Waiting = new(HealthStatusCode.Progressing, "Waiting to Autoscale");

    private static readonly HashSet<(string Type, string Reason)> DegradedReasons =
    [
        ("AbleToScale", "FailedGetScale"),
        ("AbleToScale", "FailedUpdateScale"),
        ("ScalingActive", "FailedGetResourceMetric"),
        ("ScalingActive", "FailedGetObjectMetric"),
        ("ScalingActive", "FailedGetPodsMetric"),
        ("ScalingActive", "FailedGetExternalMetric"),
        ("ScalingActive", "FailedComputeMetricsReplicas"),
        ("ScalingActive", "InvalidSelector"),
    ];

    public static HealthStatus Assess(JsonObject live, string version)
    {
        IReadOnlyList<JsonObject> conditions;
        if (version == "v1")
        {
            if (live.Annotation(V1ConditionsAnnotation) is not { } annotation)
            {
                return Waiting;
            }

            try
            {
                conditions = JsonNode.Parse(annotation) is JsonArray array ? [.. array.OfType<JsonObject>()] : [];
            }
            catch (JsonException)
            {
                return new HealthStatus(HealthStatusCode.Unknown, $"failed to read the {V1ConditionsAnnotation} annotation: not a JSON list of conditions");
            }
        }
        else
        {
            conditions = [.. live.Objects("status", "conditions")];
        }

        if (conditions.FirstOrDefault(c => DegradedReasons.Contains((c.String("type") ?? string.Empty, c.String("reason") ?? string.Empty))) is { } degraded)
        {
            return new HealthStatus(HealthStatusCode.Degraded, degraded.String("message").NullIfEmpty());
        }

        if (conditions.FirstOrDefault(c => c.String("type") is "AbleToScale" or "ScalingLimited" && c.String("status") == "True") is { } healthy)
        {
            return new HealthStatus(HealthStatusCode.Healthy, healthy.String("message").NullIfEmpty());
        }

        return Waiting;
    }
}
