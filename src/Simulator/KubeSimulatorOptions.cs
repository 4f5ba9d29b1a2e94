namespace Ferry.Simulator;

/// <summary>How a <see cref="KubeSimulator"/> listens and behaves; the defaults suit tests (HTTPS, HTTP/2, no token, namespaces enforced).</summary>
public sealed record KubeSimulatorOptions
{
    /// <summary>Serve HTTPS with a self-signed certificate made at start (ALPN h2 and http/1.1); false serves plain HTTP/1.1.</summary>
    public bool UseHttps { get; init; } = true;

    /// <summary>A bearer token every request must carry (401 otherwise); null accepts any request.</summary>
    public string? Token { get; init; }

    /// <summary>Refuse namespaced objects whose Namespace does not exist (404), as the real server does.</summary>
    public bool RequireNamespace { get; init; } = true;

    /// <summary>Make workloads look rolled out and Jobs complete right after each write (for the demo and benchmarks).</summary>
    public bool AutoComplete { get; init; }

    /// <summary>
    /// With <see cref="AutoComplete"/>, also play the controllers that create objects, as a real cluster's do: a Deployment gets a
    /// ReplicaSet (older ones scaled to 0) and the ReplicaSet its Pods, a StatefulSet, DaemonSet or Job its Pods, each owned through
    /// ownerReferences; and the garbage collector deletes the dependents of a deleted owner.
    /// </summary>
    public bool RunControllers { get; init; }

    /// <summary>Keep request bodies in the request log; turn off for benchmarks.</summary>
    public bool CaptureRequestBodies { get; init; } = true;

    /// <summary>Keep a request log at all; turn off for long-running demos.</summary>
    public bool LogRequests { get; init; } = true;

    /// <summary>Delay added before answering each request (for timeout and concurrency tests); zero for none.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The clock for timestamps (creationTimestamp, managedFields time, conditions).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
