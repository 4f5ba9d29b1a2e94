namespace Ferry.Core.Sync;

/// <summary>Argo CD's sync phases, in execution order.</summary>
public enum SyncPhase
{
    /// <summary>Hooks that run before anything is applied.</summary>
    PreSync = 0,

    /// <summary>The app's objects (and Sync hooks).</summary>
    Sync = 1,

    /// <summary>Hooks that run after everything is applied and healthy.</summary>
    PostSync = 2,

    /// <summary>Hooks that run when the sync fails.</summary>
    SyncFail = 3,
}
