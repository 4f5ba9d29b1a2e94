namespace Ferry.Core.Status;

/// <summary>The phase of the last sync operation, as Argo CD names it.</summary>
public enum OperationPhase
{
    /// <summary>Still running.</summary>
    Running = 0,

    /// <summary>Finished and every step succeeded.</summary>
    Succeeded = 1,

    /// <summary>Finished with a failed step (an apply, a hook, health).</summary>
    Failed = 2,

    /// <summary>Could not run at all (bad manifests, unreachable Git or cluster).</summary>
    Error = 3,
}
