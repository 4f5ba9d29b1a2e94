namespace Ferry.Core.Health;

/// <summary>Argo CD's health status names, ordered from best to worst for aggregation.</summary>
public enum HealthStatusCode
{
    /// <summary>All is well.</summary>
    Healthy = 0,

    /// <summary>Paused or suspended on purpose (a paused Deployment, a suspended CronJob).</summary>
    Suspended = 1,

    /// <summary>Not yet healthy but still moving towards it.</summary>
    Progressing = 2,

    /// <summary>The object does not exist in the cluster.</summary>
    Missing = 3,

    /// <summary>Failed or cannot reach health.</summary>
    Degraded = 4,

    /// <summary>Health cannot be assessed (Argo ranks it worst).</summary>
    Unknown = 5,
}
