namespace Ferry.Core.Kube;

/// <summary>The configuration a pod gets: the service host and port from the environment, the service account's files on disk.</summary>
public static class InClusterConfig
{
    /// <summary>Where Kubernetes mounts the service account's token, CA and namespace.</summary>
    public const string DefaultRoot = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>True when the environment says this process runs in a pod.</summary>
    public static bool IsAvailable(IReadOnlyDictionary<string, string?>? environment = null) =>
        !string.IsNullOrEmpty(Get(environment, "KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(Get(environment, "KUBERNETES_SERVICE_PORT"));

    internal static async Task<KubeConnection> ConnectAsync(string root, IReadOnlyDictionary<string, string?>? environment, TimeProvider time, CancellationToken cancellationToken)
    {
        var host = Get(environment, "KUBERNETES_SERVICE_HOST");
        var port = Get(environment, "KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("environment", string.IsNullOrEmpty(host) ? "KUBERNETES_SERVICE_HOST" : "KUBERNETES_SERVICE_PORT", "is not set: this process is not running in a pod");
        }

        if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var portNumber))
        {
            throw new KubeConfigException("environment", "KUBERNETES_SERVICE_PORT", "is not a port number");
        }

        var server = new UriBuilder(Uri.UriSchemeHttps, host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host, portNumber).Uri;
        var tokenPath = Path.Combine(root, "token");
        var caPath = Path.Combine(root, "ca.crt");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException(tokenPath, null, "the service account token is missing (automountServiceAccountToken: false?)");
        }

        string caPem;
        try
        {
            caPem = await File.ReadAllTextAsync(caPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException(caPath, null, $"cannot read the cluster CA: {ex.Message}", inner: ex);
        }

        var namespacePath = Path.Combine(root, "namespace");
        var ns = File.Exists(namespacePath) ? (await File.ReadAllTextAsync(namespacePath, cancellationToken).ConfigureAwait(false)).Trim() : null;
        try
        {
            return new KubeConnection
            {
                Server = server,
                CertificateAuthorities = KubeClientFactory.ParseAuthorities(caPem, "service account CA"),
                Credentials = new TokenFileCredentials(tokenPath, time),
                Namespace = string.IsNullOrEmpty(ns) ? null : ns,
            };
        }
        catch (ArgumentException ex)
        {
            throw new KubeConfigException(caPath, null, "is not a PEM certificate", inner: ex);
        }
    }

    private static string? Get(IReadOnlyDictionary<string, string?>? environment, string name) =>
        environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
}
