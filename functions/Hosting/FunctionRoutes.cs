namespace Ferry.Functions.Hosting;

/// <summary>The HTTP functions' route templates as the Functions host matches them (host.json sets <c>routePrefix</c> to "").</summary>
public static class FunctionRoutes
{
    /// <summary>GitHub's webhook deliveries (function GitHubWebhook, POST).</summary>
    public const string GitHubWebhook = "api/github";

    /// <summary>All apps, or one app, as Argo CD-shaped JSON (function Status, GET).</summary>
    public const string Apps = "api/apps/{name?}";

    /// <summary>An app's resource tree (function ResourceTree, GET).</summary>
    public const string ResourceTree = "api/apps/{name}/tree";

    /// <summary>One object of an app: <c>?group=&amp;version=&amp;kind=&amp;namespace=&amp;name=</c> (function Resource, GET).</summary>
    public const string Resource = "api/apps/{name}/resource";

    /// <summary>An action on an app: sync, refresh or rollback (function AppAction, POST).</summary>
    public const string AppAction = "api/apps/{name}/{action}";

    /// <summary>An app's SVG badge (function Badge, GET).</summary>
    public const string Badge = "api/badge/{name}";

    /// <summary>
    /// The status page (function StatusPage, GET). The optional segment lets the route match the site root, where the host would
    /// otherwise serve its default home page; any other one-segment path is answered 404 by the function.
    /// </summary>
    public const string StatusPage = "{page?}";
}
