namespace Ferry.Functions.Composition;

/// <summary>Every app setting Ferry reads, in one place (the infrastructure template must define each).</summary>
internal static class AppSettingNames
{
    /// <summary>The Functions host's storage connection (queue and status blobs); identity-based as <c>AzureWebJobsStorage__*</c>.</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>Git URL of the apps repository.</summary>
    public const string AppsRepo = "FERRY_APPS_REPO";

    /// <summary>A local apps directory (instead of a repository).</summary>
    public const string Apps = "FERRY_APPS";

    /// <summary>Path of the Application manifests inside the apps repository.</summary>
    public const string AppsPath = "FERRY_APPS_PATH";

    /// <summary>Revision of the apps repository.</summary>
    public const string AppsRevision = "FERRY_APPS_REVISION";

    /// <summary>Path of the clusters file.</summary>
    public const string Clusters = "FERRY_CLUSTERS";

    /// <summary>A writable state directory (Git cache; status when no storage account).</summary>
    public const string State = "FERRY_STATE";

    /// <summary>The GitHub webhook secret (a Key Vault reference in Azure).</summary>
    public const string WebhookSecret = "FERRY_GITHUB_WEBHOOK_SECRET";

    /// <summary>An explicit kubeconfig file.</summary>
    public const string Kubeconfig = "KUBECONFIG_FILE";

    /// <summary>The port the Functions host gives a custom handler.</summary>
    public const string CustomHandlerPort = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Application Insights connection string.</summary>
    public const string ApplicationInsights = "APPLICATIONINSIGHTS_CONNECTION_STRING";
}
