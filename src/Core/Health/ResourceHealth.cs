using Ferry.Core.Resources;

namespace Ferry.Core.Health;

/// <summary>One resource of an app and its assessed health (null when its kind has no health check; Missing when it is not live).</summary>
public sealed record ResourceHealth(ResourceKey Key, HealthStatus? Health);
