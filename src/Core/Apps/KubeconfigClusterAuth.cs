namespace Ferry.Core.Apps;

/// <summary>Use a kubeconfig file (default: <c>$KUBECONFIG</c> / <c>~/.kube/config</c>) and a context (default: its current one).</summary>
public sealed record KubeconfigClusterAuth(string? Path = null, string? Context = null) : ClusterAuth;
