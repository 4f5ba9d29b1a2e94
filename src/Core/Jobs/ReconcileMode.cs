namespace Ferry.Core.Jobs;

/// <summary>Whether a reconcile applies unconditionally or follows the app's automated policy.</summary>
public enum ReconcileMode
{
    /// <summary>Compare; sync only when automated and (a new revision, or drift with selfHeal).</summary>
    Refresh = 0,

    /// <summary>Apply now (manual sync, or a webhook sync for an automated app; a non-automated app only refreshes).</summary>
    Sync = 1,

    /// <summary>Apply now whatever the policy (the CLI's <c>ferry sync</c>, a rollback).</summary>
    ForceSync = 2,
}
