namespace Ferry.Functions.Hosting;

/// <summary>Ferry's Functions (folder names under <c>functions/FunctionApp</c>) and the binding names their handlers read.</summary>
public static class FunctionNames
{
    /// <summary>HTTP POST <c>/api/github</c>: GitHub push and ping deliveries.</summary>
    public const string GitHubWebhook = "GitHubWebhook";

    /// <summary>HTTP GET <c>/api/apps</c> and <c>/api/apps/{name}</c>.</summary>
    public const string Status = "Status";

    /// <summary>HTTP GET <c>/api/badge/{name}</c>.</summary>
    public const string Badge = "Badge";

    /// <summary>HTTP GET <c>/</c>: the web page.</summary>
    public const string StatusPage = "StatusPage";

    /// <summary>Queue trigger on <c>ferry-jobs</c>.</summary>
    public const string SyncWorker = "SyncWorker";

    /// <summary>Timer trigger, every 3 minutes.</summary>
    public const string DriftCheck = "DriftCheck";

    /// <summary>The SyncWorker's queue trigger binding name (<c>Data.job</c>).</summary>
    public const string JobBinding = "job";

    /// <summary>The DriftCheck's timer trigger binding name (<c>Data.timer</c>).</summary>
    public const string TimerBinding = "timer";
}
