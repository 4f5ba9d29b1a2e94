using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>
/// Health of Flux's <c>*.toolkit.fluxcd.io</c> objects as Argo CD's bundled Flux checks read them: suspended, then Ready/Reconciling
/// conditions; sources also need <c>ArtifactInStorage</c>, a HelmRelease also <c>Released</c> (or <c>TestSuccess</c>).
/// </summary>
internal static class FluxHealth
{
    public static HealthStatus Assess(JsonObject live, string group)
    {
        var kind = live.String("kind") ?? string.Empty;
        if (live.IsTrue("spec", "suspend"))
        {
            return new HealthStatus(HealthStatusCode.Suspended, $"{kind} is suspended");
        }

        var source = group == "source.toolkit.fluxcd.io";
        if (source && kind == "HelmRepository" && live.String("spec", "type") == "oci")
        {
            return new HealthStatus(HealthStatusCode.Healthy, "Helm repositories of type 'oci' do not contain any information in the status.");
        }

        if (live.At("status", "conditions") is not JsonArray)
        {
            return new HealthStatus(HealthStatusCode.Progressing, "Status unknown");
        }

        // Not in Argo's scripts: a Ready condition written for an older generation says nothing about the spec Ferry just applied (kstatus's rule).
        if (live.Long("status", "observedGeneration") is { } seen && live.Long("metadata", "generation") is { } want && seen < want)
        {
            return new HealthStatus(
                HealthStatusCode.Progressing,
                string.Create(CultureInfo.InvariantCulture, $"Waiting for the controller to observe generation {want} (observed {seen})"));
        }

        var helmRelease = group == "helm.toolkit.fluxcd.io" && kind == "HelmRelease";
        int progressing = 0, succeeded = 0;
        var message = string.Empty;
        foreach (var condition in live.Objects("status", "conditions"))
        {
            var isTrue = condition.String("status") == "True";
            switch (condition.String("type"))
            {
                case "Ready":
                    succeeded += isTrue ? 1 : 0;
                    progressing += condition.String("status") == "Unknown" ? 1 : 0;
                    // Argo shows only the reason; the message says more when the controller wrote one.
                    message = condition.String("message").NullIfEmpty() ?? condition.String("reason") ?? string.Empty;
                    break;
                case "Reconciling" when isTrue:
                    progressing++;
                    break;
                case "ArtifactOutdated" when source && isTrue:
                    message += " " + condition.String("reason");
                    break;
                case "ArtifactInStorage" when source && isTrue:
                case "Released" or "TestSuccess" when helmRelease && isTrue:
                    succeeded++;
                    break;
            }
        }

        // Ready Unknown while Reconciling is the only Progressing state; anything short of every success condition is Degraded.
        var needed = source || helmRelease ? 2 : 1;
        var code = progressing == 2 ? HealthStatusCode.Progressing : succeeded == needed ? HealthStatusCode.Healthy : HealthStatusCode.Degraded;
        return new HealthStatus(code, message.NullIfEmpty());
    }
}
