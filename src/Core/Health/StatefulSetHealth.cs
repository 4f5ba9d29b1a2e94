using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>StatefulSet health: observed generation, ready pods, then the update strategy's own rule (partition, OnDelete, revisions).</summary>
internal static class StatefulSetHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        var observed = live.LongOrZero("status", "observedGeneration");
        if (observed == 0 || live.LongOrZero("metadata", "generation") > observed)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Waiting for statefulset spec update to be observed...");
        }

        var desired = live.Long("spec", "replicas");
        var ready = live.LongOrZero("status", "readyReplicas");
        var updated = live.LongOrZero("status", "updatedReplicas");
        if (desired is { } want && ready < want)
        {
            return Status(HealthStatusCode.Progressing, $"Waiting for {want - ready} pods to be ready...");
        }

        var strategy = live.String("spec", "updateStrategy", "type");
        if (strategy == "RollingUpdate" && live.At("spec", "updateStrategy", "rollingUpdate") is JsonObject)
        {
            if (desired is { } replicas && live.Long("spec", "updateStrategy", "rollingUpdate", "partition") is { } partition && updated < replicas - partition)
            {
                return Status(HealthStatusCode.Progressing, $"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new pods have been updated...");
            }

            return Status(HealthStatusCode.Healthy, $"partitioned roll out complete: {updated} new pods have been updated...");
        }

        if (strategy == "OnDelete")
        {
            return Status(HealthStatusCode.Healthy, $"statefulset has {ready} ready pods");
        }

        var updateRevision = live.String("status", "updateRevision") ?? string.Empty;
        var currentRevision = live.String("status", "currentRevision") ?? string.Empty;
        if (updateRevision != currentRevision)
        {
            return Status(HealthStatusCode.Progressing, $"waiting for statefulset rolling update to complete {updated} pods at revision {updateRevision}...");
        }

        return Status(HealthStatusCode.Healthy, $"statefulset rolling update complete {live.LongOrZero("status", "currentReplicas")} pods at revision {currentRevision}...");
    }

    private static HealthStatus Status(HealthStatusCode code, FormattableString message) =>
        new(code, message.ToString(CultureInfo.InvariantCulture));
}
