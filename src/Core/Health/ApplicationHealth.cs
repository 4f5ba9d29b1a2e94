using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>An Argo CD <c>Application</c>'s own reported health, as Argo's documented app-of-apps customization reads it.</summary>
internal static class ApplicationHealth
{
    public static HealthStatus Assess(JsonObject live)
    {
        if (live.At("status", "health") is not JsonObject health)
        {
            return new HealthStatus(HealthStatusCode.Progressing);
        }

        var code = Enum.TryParse<HealthStatusCode>(health.String("status"), ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : HealthStatusCode.Unknown;
        return new HealthStatus(code, health.String("message").NullIfEmpty());
    }
}
