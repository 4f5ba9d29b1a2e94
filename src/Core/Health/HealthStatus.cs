namespace Ferry.Core.Health;

/// <summary>The health of one object or app, with a human message.</summary>
public sealed record HealthStatus(HealthStatusCode Status, string? Message = null)
{
    /// <summary>Healthy without a message.</summary>
    public static HealthStatus Healthy { get; } = new(HealthStatusCode.Healthy);
}
