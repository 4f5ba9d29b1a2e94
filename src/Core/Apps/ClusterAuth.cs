namespace Ferry.Core.Apps;

/// <summary>How Ferry authenticates to one cluster: a kubeconfig context, a bearer token from the environment, or Azure managed identity.</summary>
public abstract record ClusterAuth;
