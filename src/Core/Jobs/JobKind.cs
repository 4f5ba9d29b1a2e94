namespace Ferry.Core.Jobs;

/// <summary>What a job asks the worker to do with an app.</summary>
public enum JobKind
{
    /// <summary>Bring the app to its revision (<c>"sync"</c> on the wire).</summary>
    Sync,

    /// <summary>Compare the app with the cluster and self-heal where the app asks for it (<c>"refresh"</c>).</summary>
    Refresh,

    /// <summary>Compare every app on one cluster against one shared read, handing apps that need a sync to their own refresh jobs (<c>"sweep"</c>).</summary>
    Sweep,

    /// <summary>Go back to the revision of one of the app's history entries (<c>"rollback"</c>; the message's revision is that entry's commit).</summary>
    Rollback,
}
