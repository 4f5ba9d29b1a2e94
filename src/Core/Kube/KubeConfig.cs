using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ferry.Core.Kube;

/// <summary>A loaded (possibly merged) kubeconfig: clusters, users and contexts by name, and the current context.</summary>
public sealed record KubeConfig
{
    /// <summary>The files it was read from, in precedence order.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The <c>current-context</c> (the first file that sets one wins).</summary>
    public string? CurrentContext { get; init; }

    /// <summary>Clusters by name.</summary>
    public IReadOnlyDictionary<string, KubeConfigCluster> Clusters { get; init; } = new Dictionary<string, KubeConfigCluster>(StringComparer.Ordinal);

    /// <summary>Users by name.</summary>
    public IReadOnlyDictionary<string, KubeConfigUser> Users { get; init; } = new Dictionary<string, KubeConfigUser>(StringComparer.Ordinal);

    /// <summary>Contexts by name.</summary>
    public IReadOnlyDictionary<string, KubeConfigContext> Contexts { get; init; } = new Dictionary<string, KubeConfigContext>(StringComparer.Ordinal);

    /// <summary>Resolves a context (null: the current one) into the server, TLS trust and credentials to use.</summary>
    internal async Task<KubeConnection> ConnectAsync(string? contextName, TimeProvider time, CancellationToken cancellationToken)
    {
        var files = Files.Count == 0 ? "kubeconfig" : string.Join(Path.PathSeparator, Files);
        var name = string.IsNullOrEmpty(contextName) ? CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException(files, "current-context", "no current-context is set and no context was given");
        }

        if (!Contexts.TryGetValue(name, out var context))
        {
            throw new KubeConfigException(files, "contexts", $"no context named \"{name}\"");
        }

        if (string.IsNullOrEmpty(context.Cluster) || !Clusters.TryGetValue(context.Cluster, out var cluster))
        {
            throw new KubeConfigException(context.SourceFile, $"{context.Field}.cluster", $"context \"{name}\" names cluster \"{context.Cluster}\", which is not defined");
        }

        KubeConfigUser? user = null;
        if (!string.IsNullOrEmpty(context.User) && !Users.TryGetValue(context.User, out user))
        {
            throw new KubeConfigException(context.SourceFile, $"{context.Field}.user", $"context \"{name}\" names user \"{context.User}\", which is not defined");
        }

        if (string.IsNullOrEmpty(cluster.Server)
            || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeConfigException(cluster.SourceFile, $"{cluster.Field}.server", "must be an http(s) URL");
        }

        var caPem = cluster.CertificateAuthorityData
            ?? (cluster.CertificateAuthority is { } caFile ? await ReadAsync(cluster.SourceFile, $"{cluster.Field}.certificate-authority", caFile, cancellationToken).ConfigureAwait(false) : null);
        X509Certificate2Collection authorities;
        try
        {
            authorities = KubeClientFactory.ParseAuthorities(caPem, "certificate authority");
        }
        catch (ArgumentException ex)
        {
            throw new KubeConfigException(cluster.SourceFile, $"{cluster.Field}.certificate-authority{(cluster.CertificateAuthorityData is null ? string.Empty : "-data")}", "is not a PEM certificate", inner: ex);
        }

        return new KubeConnection
        {
            Server = server,
            CertificateAuthorities = authorities,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            TlsServerName = cluster.TlsServerName,
            Namespace = context.Namespace,
            Credentials = user is null ? new StaticCredentials(KubeCredential.None) : await CredentialsAsync(user, cluster, caPem, time, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IKubeCredentials> CredentialsAsync(KubeConfigUser user, KubeConfigCluster cluster, string? caPem, TimeProvider time, CancellationToken cancellationToken)
    {
        if (user.Exec is { } exec)
        {
            return new ExecCredentials(exec, cluster, caPem, time);
        }

        var certPem = user.ClientCertificateData
            ?? (user.ClientCertificate is { } certFile ? await ReadAsync(user.SourceFile, $"{user.Field}.client-certificate", certFile, cancellationToken).ConfigureAwait(false) : null);
        var keyPem = user.ClientKeyData
            ?? (user.ClientKey is { } keyFile ? await ReadAsync(user.SourceFile, $"{user.Field}.client-key", keyFile, cancellationToken).ConfigureAwait(false) : null);
        X509Certificate2? certificate = null;
        if (certPem is not null || keyPem is not null)
        {
            if (certPem is null || keyPem is null)
            {
                throw new KubeConfigException(user.SourceFile, $"{user.Field}.{(certPem is null ? "client-certificate" : "client-key")}", "a client certificate needs both client-certificate(-data) and client-key(-data)");
            }

            certificate = ClientCertificate(certPem, keyPem, user.SourceFile, user.Field);
        }

        if (user.TokenFile is { } tokenFile && user.Token is null)
        {
            return certificate is null
                ? new TokenFileCredentials(tokenFile, time)
                : throw new KubeConfigException(user.SourceFile, $"{user.Field}.tokenFile", "use either a client certificate or a token file, not both");
        }

        return new StaticCredentials(new KubeCredential(user.Token, certificate));
    }

    /// <summary>Builds a certificate with its RSA or EC private key from PEM text; the error never quotes the key.</summary>
    internal static X509Certificate2 ClientCertificate(string certPem, string keyPem, string file, string field)
    {
        try
        {
            return X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException(file, $"{field}.client-key", "the client certificate and key are not a matching PEM certificate and RSA/EC private key", inner: ex);
        }
    }

    private static async Task<string> ReadAsync(string sourceFile, string field, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException(sourceFile, field, $"cannot read {path}: {ex.Message}", inner: ex);
        }
    }
}
