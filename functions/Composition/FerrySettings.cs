using Ferry.Core.Git;

namespace Ferry.Functions.Composition;

/// <summary>Where Ferry finds its apps, clusters, credentials and state; from CLI options or Functions app settings.</summary>
internal sealed record FerrySettings
{
    /// <summary>A directory or file of Application manifests, or a Git URL of an apps repository.</summary>
    public string Apps { get; init; } = "apps";

    /// <summary>Path inside the apps repository (when <see cref="Apps"/> is a URL).</summary>
    public string AppsPath { get; init; } = ".";

    /// <summary>Revision of the apps repository.</summary>
    public string AppsRevision { get; init; } = "HEAD";

    /// <summary>The clusters file; null means the current kubeconfig context serves every destination.</summary>
    public string? Clusters { get; init; }

    /// <summary>An explicit kubeconfig file.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>How often a failed Kubernetes request is retried (null: the client's default, 10, as client-go); the CLI's verbs answer sooner.</summary>
    public int? KubeMaxRetries { get; init; }

    /// <summary>A file holding Argo CD's <c>argocd-cm</c> ConfigMap with Lua health scripts; null for none (an argocd-cm in the apps catalog still counts).</summary>
    public string? ResourceCustomizations { get; init; }

    /// <summary>The state directory (status files, Git cache).</summary>
    public string State { get; init; } = ".state";

    /// <summary>The GitHub webhook secret; null accepts unsigned deliveries (local use only).</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Extra git configuration (e.g. <c>url.X.insteadOf</c>) applied to every git command.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GitConfig { get; init; } = [];

    /// <summary>Credentials per repository URL for Git over HTTPS or SSH (from Key Vault references in Azure); null for public repositories.</summary>
    public Func<string, GitCredentials?>? GitCredentials { get; init; }

    /// <summary>Whether <see cref="Apps"/> names a Git repository rather than a local path.</summary>
    public bool AppsIsRepository =>
        Apps.Contains("://", StringComparison.Ordinal) || (Apps.StartsWith("git@", StringComparison.Ordinal) && Apps.Contains(':'));

    /// <summary>Reads the Functions app settings (environment) over defaults.</summary>
    public static FerrySettings FromEnvironment(Func<string, string?> get) => new()
    {
        Apps = get(AppSettingNames.AppsRepo) ?? get(AppSettingNames.Apps) ?? "apps",
        AppsPath = get(AppSettingNames.AppsPath) ?? ".",
        AppsRevision = get(AppSettingNames.AppsRevision) ?? "HEAD",
        Clusters = get(AppSettingNames.Clusters),
        Kubeconfig = get(AppSettingNames.KubeconfigFile),
        ResourceCustomizations = get(AppSettingNames.ResourceCustomizations) is { Length: > 0 } customizations ? customizations : null,
        State = get(AppSettingNames.State) ?? Path.Combine(Path.GetTempPath(), "ferry-state"),
        WebhookSecret = get(AppSettingNames.GitHubWebhookSecret),
        GitCredentials = GitCredentialSettings.FromSettings(get),
    };
}
