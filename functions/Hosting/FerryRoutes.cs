namespace Ferry.Functions.Hosting;

/// <summary>The custom handler's route table: the paths the Functions host forwards (HTTP functions, proxied as-is) or posts to (<c>/&lt;FunctionName&gt;</c>).</summary>
public static class FerryRoutes
{
    /// <summary>The status page (function StatusPage, route <c>{page?}</c> with routePrefix "").</summary>
    public const string Page = "/";

    /// <summary>All apps as Argo CD-shaped JSON (function Status, route <c>api/apps/{name?}</c>).</summary>
    public const string Apps = "/api/apps";

    /// <summary>One app as Argo CD-shaped JSON (function Status).</summary>
    public const string App = "/api/apps/{name}";

    /// <summary>An app's SVG badge (function Badge, route <c>api/badge/{name}</c>).</summary>
    public const string Badge = "/api/badge/{name}";

    /// <summary>GitHub's webhook deliveries (function GitHubWebhook, route <c>api/github</c>).</summary>
    public const string GitHubWebhook = "/api/github";

    /// <summary>The host's invocation of the queue-triggered SyncWorker function.</summary>
    public const string SyncWorker = "/" + FunctionNames.SyncWorker;

    /// <summary>The host's invocation of the timer-triggered DriftCheck function.</summary>
    public const string DriftCheck = "/" + FunctionNames.DriftCheck;
}
