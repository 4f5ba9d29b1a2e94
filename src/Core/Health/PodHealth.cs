using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Pod health: container error states for long-running pods, then the phase, with restart policy deciding what "running" means.</summary>
internal static class PodHealth
{
    /// <summary>Makes a running pod with restart policy OnFailure or Never count as long-running (not honoured on hooks).</summary>
    public const string IgnoreRestartPolicyAnnotation = "argocd.argoproj.io/ignore-restart-policy";

    public static HealthStatus Assess(JsonObject live)
    {
        var restartPolicy = live.String("spec", "restartPolicy");
        var message = live.String("status", "message").NullIfEmpty();
        var longRunning = restartPolicy == "Always"
            || (live.Annotation(IgnoreRestartPolicyAnnotation) == "true" && !HookAnnotations.IsHook(live));

        // Only long-running pods: a hook pod waiting on an image must not fail the hook early (Argo's reasoning).
        if (longRunning)
        {
            var errors = live.Objects("status", "containerStatuses")
                .Select(c => c.At("state", "waiting"))
                .Where(w => w is JsonObject && IsErrorReason(w.String("reason") ?? string.Empty))
                .Select(w => w.String("message") ?? string.Empty)
                .ToList();
            if (errors.Count > 0)
            {
                return new HealthStatus(HealthStatusCode.Degraded, string.Join(", ", errors).NullIfEmpty());
            }
        }

        switch (live.String("status", "phase"))
        {
            case "Pending":
                return new HealthStatus(HealthStatusCode.Progressing, message);
            case "Succeeded":
                return new HealthStatus(HealthStatusCode.Healthy, message);
            case "Failed":
                return new HealthStatus(HealthStatusCode.Degraded, message ?? FailureMessage(live));
            case "Running" when longRunning:
                if (live.Condition("Ready")?.String("status") == "True")
                {
                    return new HealthStatus(HealthStatusCode.Healthy, message);
                }

                var restarted = live.Objects("status", "containerStatuses").Any(c => c.At("lastState", "terminated") is JsonObject);
                return new HealthStatus(restarted ? HealthStatusCode.Degraded : HealthStatusCode.Progressing, message);
            case "Running" when restartPolicy is "OnFailure" or "Never":
                // Pods meant to finish (usually hooks) are Progressing until they succeed.
                return new HealthStatus(HealthStatusCode.Progressing, message);
            default:
                return new HealthStatus(HealthStatusCode.Unknown, message);
        }
    }

    /// <summary>CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError and the like.</summary>
    private static bool IsErrorReason(string reason) =>
        reason.StartsWith("Err", StringComparison.Ordinal)
        || reason.EndsWith("Error", StringComparison.Ordinal)
        || reason.EndsWith("BackOff", StringComparison.Ordinal);

    private static string? FailureMessage(JsonObject live)
    {
        foreach (var container in live.Objects("status", "initContainerStatuses").Concat(live.Objects("status", "containerStatuses")))
        {
            if (container.At("state", "terminated") is not JsonObject terminated)
            {
                continue;
            }

            if (terminated.String("message").NullIfEmpty() is { } text)
            {
                return text;
            }

            if (terminated.String("reason") == "OOMKilled")
            {
                return "OOMKilled";
            }

            if (terminated.LongOrZero("exitCode") is var code and not 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"container \"{container.String("name")}\" failed with exit code {code}");
            }
        }

        return null;
    }
}
