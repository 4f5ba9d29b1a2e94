namespace Ferry.Functions.Composition;

/// <summary>Every app setting (environment variable) Ferry reads in Azure; <c>infra/main.bicep</c> sets these and a test holds the two together.</summary>
public static class AppSettingNames
{
    /// <summary>Git URL of the apps repository (the app-of-apps source of Application manifests).</summary>
    public const string AppsRepo = "FERRY_APPS_REPO";

    /// <summary>A local directory or file of Application manifests, or a Git URL; <see cref="AppsRepo"/> wins when both are set.</summary>
    public const string Apps = "FERRY_APPS";

    /// <summary>Path of the manifests inside the apps repository.</summary>
    public const string AppsPath = "FERRY_APPS_PATH";

    /// <summary>Branch, tag or SHA of the apps repository.</summary>
    public const string AppsRevision = "FERRY_APPS_REVISION";

    /// <summary>The clusters file (a path relative to the app root, the worker's working directory).</summary>
    public const string Clusters = "FERRY_CLUSTERS";

    /// <summary>An explicit kubeconfig file for clusters that name a kubeconfig context.</summary>
    public const string KubeconfigFile = "KUBECONFIG_FILE";

    /// <summary>Scratch directory for the Git cache (and the file status store when no storage account is configured).</summary>
    public const string State = "FERRY_STATE";

    /// <summary>The NCRONTAB schedule of the DriftCheck timer (<c>0 */3 * * * *</c> in Azure); the trigger reads it as <c>%FERRY_DRIFT_SCHEDULE%</c>.</summary>
    public const string DriftSchedule = "FERRY_DRIFT_SCHEDULE";

    /// <summary>The GitHub webhook secret (a Key Vault reference in Azure).</summary>
    public const string GitHubWebhookSecret = "FERRY_GITHUB_WEBHOOK_SECRET";

    /// <summary>The user name sent with <see cref="GitToken"/> over HTTPS.</summary>
    public const string GitUserName = "FERRY_GIT_USERNAME";

    /// <summary>An HTTPS token for private Git repositories on <see cref="GitHost"/> (a Key Vault reference in Azure).</summary>
    public const string GitToken = "FERRY_GIT_TOKEN";

    /// <summary>An SSH private key for private Git repositories reached over SSH (a Key Vault reference in Azure).</summary>
    public const string GitSshPrivateKey = "FERRY_GIT_SSH_PRIVATE_KEY";

    /// <summary>The passphrase of <see cref="GitSshPrivateKey"/> when the key is encrypted (not set by the template: a Key Vault reference you add).</summary>
    public const string GitSshPassphrase = "FERRY_GIT_SSH_PASSPHRASE";

    /// <summary>The SSH host keys to trust: known_hosts lines or <c>SHA256:</c> fingerprints; unset reads <c>~/.ssh/known_hosts</c>.</summary>
    public const string GitSshKnownHosts = "FERRY_GIT_SSH_KNOWN_HOSTS";

    /// <summary><c>true</c> accepts any SSH host key (no host key checking): an explicit opt-out, never set by the template.</summary>
    public const string GitSshInsecureIgnoreHostKey = "FERRY_GIT_SSH_INSECURE_IGNORE_HOST_KEY";

    /// <summary>The host the Git credentials are for (default <c>github.com</c>); other hosts get no credentials.</summary>
    public const string GitHost = "FERRY_GIT_HOST";

    /// <summary>The Application Insights connection string; telemetry is off when it is unset.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The storage connection name of the jobs queue and status container (host convention: a connection string or <c>AzureWebJobsStorage__*</c> identity settings).</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>The Function App's name; set by the platform, used as the telemetry role name.</summary>
    public const string SiteName = "WEBSITE_SITE_NAME";

    /// <summary>A notifications YAML file (webhook targets, GitHub commit statuses).</summary>
    public const string Notifications = "FERRY_NOTIFICATIONS";

    /// <summary>An Argo CD <c>argocd-cm</c> ConfigMap file whose <c>resource.customizations.health.*</c> Lua scripts assess custom resources.</summary>
    public const string ResourceCustomizations = "FERRY_RESOURCE_CUSTOMIZATIONS";

    /// <summary>One notification webhook URL (a secret).</summary>
    public const string NotifyWebhookUrl = "FERRY_NOTIFY_WEBHOOK_URL";

    /// <summary>That webhook's format: generic, slack or teams.</summary>
    public const string NotifyWebhookFormat = "FERRY_NOTIFY_WEBHOOK_FORMAT";

    /// <summary>Which triggers notify (comma-separated; default all).</summary>
    public const string NotifyTriggers = "FERRY_NOTIFY_TRIGGERS";

    /// <summary>A GitHub token for commit statuses (a secret).</summary>
    public const string GitHubToken = "FERRY_GITHUB_TOKEN";

    /// <summary>The GitHub API base URL (GitHub Enterprise).</summary>
    public const string GitHubApiUrl = "FERRY_GITHUB_API_URL";

    /// <summary>The identity-based storage settings of <see cref="Storage"/> that the template sets (the Functions host reads the same names).</summary>
    public static IReadOnlyList<string> StorageIdentitySettings { get; } =
    [
        Storage + "__accountName",
        Storage + "__blobServiceUri",
        Storage + "__clientId",
        Storage + "__credential",
        Storage + "__queueServiceUri",
    ];

    /// <summary>A YAML file of Helm chart repositories and OCI registries with their credentials (<c>usernameFromEnv</c>/<c>passwordFromEnv</c>).</summary>
    public const string HelmRepositories = "FERRY_HELM_REPOSITORIES";

    /// <summary>A helm executable, used when the package carries none at tools/helm/helm (a developer machine).</summary>
    public const string Helm = "FERRY_HELM";

    /// <summary>Settings the Azure deployment sets (empty values allowed for optional features).</summary>
    public static IReadOnlyList<string> Deployed { get; } =
    [
        ApplicationInsightsConnectionString,
        Apps,
        AppsPath,
        AppsRepo,
        AppsRevision,
        Clusters,
        DriftSchedule,
        GitHost,
        GitHubWebhookSecret,
        GitSshKnownHosts,
        GitSshPrivateKey,
        GitToken,
        GitUserName,
        State,
    ];

    /// <summary>Settings read only on a developer machine or provided by the platform, so the template leaves them alone.</summary>
    public static IReadOnlyList<string> NotDeployed { get; } =
        [GitHubApiUrl, GitHubToken, GitSshInsecureIgnoreHostKey, GitSshPassphrase, Helm, HelmRepositories, KubeconfigFile, Notifications, NotifyTriggers, NotifyWebhookFormat, NotifyWebhookUrl, ResourceCustomizations, SiteName, Storage];

    /// <summary>Settings that hold secrets: Key Vault references in Azure, never logged or sent as telemetry.</summary>
    public static IReadOnlyList<string> Secrets { get; } = [GitHubWebhookSecret, GitSshPrivateKey, GitToken];
}
