namespace Ferry.Core.Kube;

/// <summary>Which failures a request may be sent again after.</summary>
internal enum KubeRetry
{
    /// <summary>Repeating has no further effect (reads, server-side apply including dry runs, delete with a uid precondition): throttling, unavailable servers and lost connections are retried.</summary>
    Safe,

    /// <summary>Repeating could act twice (create, plain delete): only a 429, which the server refuses before acting, is retried.</summary>
    WhenRefused,
}
