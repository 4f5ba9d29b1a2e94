using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using k8s;

namespace Ferry.Core.Kube;

/// <summary>Builds <see cref="KubeClient"/>s on KubernetesClient's configuration: from a kubeconfig context, from the in-cluster service account, from a server and token, or from an Azure credential for AKS.</summary>
public static class KubeClientFactory
{
    /// <summary>The scope of Microsoft Entra tokens that AKS clusters accept.</summary>
    public const string AksScope = AzureTokenProvider.AksScope;

    /// <summary>A client for a server with a static bearer token (or none) and a CA (PEM) to trust, or the insecure flag.</summary>
    public static KubeClient FromToken(Uri server, string? bearerToken, string? certificateAuthorityPem = null, bool insecureSkipTlsVerify = false, KubeClientOptions? options = null) =>
        new(new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            AccessToken = string.IsNullOrEmpty(bearerToken) ? null : bearerToken,
            SslCaCerts = Authorities(certificateAuthorityPem),
            SkipTlsVerify = insecureSkipTlsVerify,
        }, options ?? new KubeClientOptions());

    /// <summary>A client for an AKS cluster whose tokens come from an Azure credential (managed identity, workload identity, CLI) for <see cref="AksScope"/>.</summary>
    public static KubeClient FromAzureCredential(Uri server, TokenCredential credential, string? certificateAuthorityPem = null, KubeClientOptions? options = null)
    {
        options ??= new KubeClientOptions();
        var time = options.TimeProvider;
        return new KubeClient(new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            SslCaCerts = Authorities(certificateAuthorityPem),
            TokenProvider = new ReauthenticatingTokenProvider(() => new AzureTokenProvider(credential, time), ex => new KubeCredentialException("Azure credential", "could not obtain a token for AKS", ex)),
        }, options);
    }

    /// <summary>A client for a context of a loaded kubeconfig (null: its current-context); runs the user's exec plugin if it has one.</summary>
    public static async Task<KubeClient> FromKubeConfigAsync(KubeConfig config, string? context, KubeClientOptions? options, CancellationToken cancellationToken) =>
        new(await config.ResolveAsync(context, cancellationToken).ConfigureAwait(false), options ?? new KubeClientOptions());

    /// <summary>Loads the kubeconfig as kubectl finds it (explicit path, else <c>KUBECONFIG</c>, else <c>~/.kube/config</c>) and builds a client for a context.</summary>
    public static async Task<KubeClient> FromKubeConfigAsync(string? kubeconfigPath, string? context, KubeClientOptions? options, CancellationToken cancellationToken)
    {
        var config = await KubeConfigLoader.LoadDefaultAsync(kubeconfigPath, cancellationToken).ConfigureAwait(false);
        return await FromKubeConfigAsync(config, context, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A client from inside a pod: KubernetesClient's in-cluster configuration (service host and port, the service account's token, CA and namespace).</summary>
    public static KubeClient FromInCluster(KubeClientOptions? options = null)
    {
        if (!KubernetesClientConfiguration.IsInCluster())
        {
            var missing = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")) ? "KUBERNETES_SERVICE_HOST"
                : string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT")) ? "KUBERNETES_SERVICE_PORT"
                : "serviceaccount";
            throw new KubeConfigException("in-cluster configuration", missing, "is missing: this process is not running in a pod with a mounted service account token");
        }

        return new KubeClient(KubernetesClientConfiguration.InClusterConfig(), options ?? new KubeClientOptions());
    }

    internal static X509Certificate2Collection ParseAuthorities(string? pem, string what)
    {
        var collection = new X509Certificate2Collection();
        if (string.IsNullOrWhiteSpace(pem))
        {
            return collection;
        }

        try
        {
            collection.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ArgumentException($"the {what} is not a PEM certificate", nameof(pem), ex);
        }

        return collection.Count > 0 ? collection : throw new ArgumentException($"the {what} holds no PEM certificate", nameof(pem));
    }

    private static X509Certificate2Collection? Authorities(string? pem) => ParseAuthorities(pem, "certificate authority") is { Count: > 0 } found ? found : null;
}
