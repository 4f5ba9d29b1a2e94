namespace Ferry.Core.Sync;

/// <summary>A sync waiting for a wave's objects to become healthy: which wave, how many are ready, and which ones it waits for.</summary>
public sealed record SyncWait(SyncPhase Phase, int Wave, int Ready, int Total, IReadOnlyList<string> Waiting)
{
    /// <summary>A one-line status such as <c>waiting for 1/3 object(s) of Sync wave 1 to become healthy: Deployment.apps/demo/web (Progressing)</c>.</summary>
    public string Message =>
        $"waiting for {Total - Ready}/{Total} object(s) of {Phase} wave {Wave} to become healthy: {string.Join(", ", Waiting.Take(5))}{(Waiting.Count > 5 ? ", ..." : string.Empty)}";
}
