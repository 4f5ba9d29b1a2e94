using System.Security.Cryptography.X509Certificates;
using Azure.Core;

namespace Ferry.Core.Kube;

/// <summary>Builds <see cref="KubeClient"/>s: from a kubeconfig context, from the in-cluster service account, from a server and token, or from an Azure credential for AKS.</summary>
public static class KubeClientFactory
{
    /// <summary>The scope of Microsoft Entra tokens that AKS clusters accept.</summary>
    public const string AksScope = AzureTokenCredentials.AksScope;

    /// <summary>A client for a server with a static bearer token (or none) and a CA (PEM) to trust, or the insecure flag.</summary>
    public static KubeClient FromToken(Uri server, string? bearerToken, string? certificateAuthorityPem = null, bool insecureSkipTlsVerify = false, KubeClientOptions? options = null) =>
        new(new KubeConnection
        {
            Server = server,
            CertificateAuthorities = ParseAuthorities(certificateAuthorityPem, "certificate authority"),
            InsecureSkipTlsVerify = insecureSkipTlsVerify,
            Credentials = new StaticCredentials(new KubeCredential(bearerToken, null)),
        }, options ?? new KubeClientOptions());

    /// <summary>A client for an AKS cluster whose tokens come from an Azure credential (managed identity, workload identity, CLI) for <see cref="AksScope"/>.</summary>
    public static KubeClient FromAzureCredential(Uri server, TokenCredential credential, string? certificateAuthorityPem = null, KubeClientOptions? options = null)
    {
        options ??= new KubeClientOptions();
        return new KubeClient(new KubeConnection
        {
            Server = server,
            CertificateAuthorities = ParseAuthorities(certificateAuthorityPem, "certificate authority"),
            Credentials = new AzureTokenCredentials(credential, options.TimeProvider),
        }, options);
    }

    /// <summary>A client for a context of a loaded kubeconfig (null: its current-context); reads the CA, certificate and key files it names.</summary>
    public static async Task<KubeClient> FromKubeConfigAsync(KubeConfig config, string? context, KubeClientOptions? options, CancellationToken cancellationToken)
    {
        options ??= new KubeClientOptions();
        return new KubeClient(await config.ConnectAsync(context, options.TimeProvider, cancellationToken).ConfigureAwait(false), options);
    }

    /// <summary>Loads the kubeconfig as kubectl finds it (explicit path, else <c>KUBECONFIG</c>, else <c>~/.kube/config</c>) and builds a client for a context.</summary>
    public static async Task<KubeClient> FromKubeConfigAsync(string? kubeconfigPath, string? context, KubeClientOptions? options, CancellationToken cancellationToken)
    {
        var config = await KubeConfigLoader.LoadDefaultAsync(kubeconfigPath, cancellationToken).ConfigureAwait(false);
        return await FromKubeConfigAsync(config, context, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A client from inside a pod: <c>KUBERNETES_SERVICE_HOST/PORT</c> and the service account's token, CA and namespace under <paramref name="serviceAccountRoot"/>.</summary>
    public static async Task<KubeClient> FromInClusterAsync(string serviceAccountRoot, IReadOnlyDictionary<string, string?>? environment, KubeClientOptions? options, CancellationToken cancellationToken)
    {
        options ??= new KubeClientOptions();
        return new KubeClient(await InClusterConfig.ConnectAsync(serviceAccountRoot, environment, options.TimeProvider, cancellationToken).ConfigureAwait(false), options);
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
}
