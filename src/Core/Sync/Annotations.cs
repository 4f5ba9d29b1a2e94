namespace Ferry.Core.Sync;

/// <summary>The annotation names Ferry reads and writes.</summary>
public static class Annotations
{
    /// <summary>Ferry's tracking annotation (<c>app:group/kind:namespace/name</c>).</summary>
    public const string TrackingId = "ferry.dev/tracking-id";

    /// <summary>Argo CD's sync wave.</summary>
    public const string SyncWave = "argocd.argoproj.io/sync-wave";

    /// <summary>Argo CD's hook phase(s).</summary>
    public const string Hook = "argocd.argoproj.io/hook";

    /// <summary>Argo CD's hook delete policy.</summary>
    public const string HookDeletePolicy = "argocd.argoproj.io/hook-delete-policy";

    /// <summary>Per-object sync options.</summary>
    public const string SyncOptions = "argocd.argoproj.io/sync-options";

    /// <summary>Per-object compare options (IgnoreExtraneous).</summary>
    public const string CompareOptions = "argocd.argoproj.io/compare-options";
}
