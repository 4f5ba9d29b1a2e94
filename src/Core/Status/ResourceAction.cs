namespace Ferry.Core.Status;

/// <summary>What a sync did to one object.</summary>
public enum ResourceAction
{
    /// <summary>Already equal; nothing sent.</summary>
    Unchanged = 0,

    /// <summary>Did not exist; created.</summary>
    Created = 1,

    /// <summary>Existed and drifted; applied.</summary>
    Configured = 2,

    /// <summary>No longer desired; deleted.</summary>
    Pruned = 3,

    /// <summary>Would be pruned, but prune is off or the object is protected.</summary>
    PruneSkipped = 4,

    /// <summary>Not applied (a dry run, a skipped hook, an earlier failure).</summary>
    Skipped = 5,

    /// <summary>The API refused it.</summary>
    Failed = 6,

    /// <summary>Differs from desired (reported by a refresh that applies nothing).</summary>
    OutOfSync = 7,
}
