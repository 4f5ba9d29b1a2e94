namespace Ferry.Core.Kube;

/// <summary>One cause from a Kubernetes <c>Status</c> body's <c>details.causes</c>: why a field was rejected.</summary>
public sealed record KubeStatusCause(string? Reason, string? Message, string? Field);
