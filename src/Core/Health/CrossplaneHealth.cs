using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>
/// Health of Crossplane objects (<c>*.crossplane.io</c>, and providers' <c>*.upbound.io</c> managed resources) as Argo CD's bundled
/// wildcard checks read them: a false <c>Synced</c> or <c>LastAsyncOperation</c> is Degraded, a true readiness condition Healthy.
/// </summary>
internal static class CrossplaneHealth
{
    private const string UpToDate = "Resource is up-to-date.";

    private static readonly string[] NoStatusKinds =
        ["Composition", "CompositionRevision", "DeploymentRuntimeConfig", "ClusterProviderConfig", "ProviderConfig", "ProviderConfigUsage", "ControllerConfig"];

    private static readonly string[] CrossplaneReadyTypes = ["Ready", "Healthy", "Offered", "Established", "ValidPipeline", "RevisionHealthy"];

    public static HealthStatus Assess(JsonObject live, string group)
    {
        var kind = live.String("kind") ?? string.Empty;
        var status = live.At("status") as JsonObject;
        // Argo's script (through Lua operator precedence) calls any object without a status Healthy; Ferry does so only for the kinds
        // that never get one, so a managed resource still being created does not let the next wave start.
        if ((status is null || status.Count == 0) && NoStatusKinds.Contains(kind, StringComparer.Ordinal))
        {
            return new HealthStatus(HealthStatusCode.Healthy, UpToDate);
        }

        if (status?["conditions"] is not JsonArray conditions)
        {
            return kind is "ProviderConfig" or "ClusterProviderConfig" && status?["users"] is not null
                ? new HealthStatus(HealthStatusCode.Healthy, "Resource is in use.")
                : Provisioning;
        }

        // Failures win over readiness wherever they are in the list.
        var failed = conditions.OfType<JsonObject>().FirstOrDefault(c => c.String("type") is "LastAsyncOperation" or "Synced" && c.String("status") == "False");
        if (failed is not null)
        {
            return new HealthStatus(HealthStatusCode.Degraded, failed.String("message").NullIfEmpty());
        }

        var readyTypes = group.EndsWith(".upbound.io", StringComparison.Ordinal) ? ["Ready"] : CrossplaneReadyTypes;
        return conditions.OfType<JsonObject>().Any(c => readyTypes.Contains(c.String("type") ?? string.Empty, StringComparer.Ordinal) && c.String("status") == "True")
            ? new HealthStatus(HealthStatusCode.Healthy, UpToDate)
            : Provisioning;
    }

    private static HealthStatus Provisioning => new(HealthStatusCode.Progressing, "Provisioning ...");
}
