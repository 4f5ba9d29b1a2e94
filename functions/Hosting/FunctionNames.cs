namespace Ferry.Functions.Hosting;

/// <summary>Ferry's function names, as <c>functions.metadata</c> lists them and the host reports them.</summary>
public static class FunctionNames
{
    /// <summary>HTTP POST <c>/api/github</c>: GitHub push and ping deliveries.</summary>
    public const string GitHubWebhook = "GitHubWebhook";

    /// <summary>HTTP GET <c>/api/apps</c> and <c>/api/apps/{name}</c>.</summary>
    public const string Status = "Status";

    /// <summary>HTTP GET <c>/api/apps/{name}/tree</c>: the app's resource tree from the live cluster.</summary>
    public const string ResourceTree = "ResourceTree";

    /// <summary>HTTP GET <c>/api/apps/{name}/resource</c>: one object's live manifest and diff.</summary>
    public const string Resource = "Resource";

    /// <summary>HTTP POST <c>/api/apps/{name}/sync</c>, <c>/refresh</c>, <c>/rollback</c>: queue a job for the app.</summary>
    public const string AppAction = "AppAction";

    /// <summary>HTTP GET <c>/api/badge/{name}</c>.</summary>
    public const string Badge = "Badge";

    /// <summary>HTTP GET <c>/</c>: the web page.</summary>
    public const string StatusPage = "StatusPage";

    /// <summary>Queue trigger on <c>ferry-jobs</c>.</summary>
    public const string SyncWorker = "SyncWorker";

    /// <summary>Timer trigger on the <c>FERRY_DRIFT_SCHEDULE</c> setting.</summary>
    public const string DriftCheck = "DriftCheck";

    /// <summary>Every function, sorted by name.</summary>
    public static IReadOnlyList<string> All { get; } = [AppAction, Badge, DriftCheck, GitHubWebhook, Resource, ResourceTree, Status, StatusPage, SyncWorker];
}
