using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Authentication;
using k8s.KubeConfigModels;
using PackageConfigException = k8s.Exceptions.KubeConfigException;

namespace Ferry.Core.Kube;

/// <summary>A loaded (possibly merged) kubeconfig: KubernetesClient's model, and where each entry came from for error messages.</summary>
public sealed record KubeConfig
{
    /// <summary>The files it was read from, in precedence order.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The clusters, users, contexts and current-context, as KubernetesClient reads them (paths already absolute).</summary>
    public required K8SConfiguration Model { get; init; }

    /// <summary>The <c>current-context</c> (the first file that sets one wins).</summary>
    public string? CurrentContext => Model.CurrentContext;

    /// <summary>File and field of each entry, keyed by <see cref="ClusterKey"/>, <see cref="UserKey"/>, <see cref="ContextKey"/>.</summary>
    internal IReadOnlyDictionary<string, KubeConfigOrigin> Origins { get; init; } = new Dictionary<string, KubeConfigOrigin>(StringComparer.Ordinal);

    /// <summary>Users' <c>tokenFile</c> (absolute), which KubernetesClient's model does not carry.</summary>
    internal IReadOnlyDictionary<string, string> TokenFiles { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal static string ClusterKey(string name) => $"cluster/{name}";

    internal static string UserKey(string name) => $"user/{name}";

    internal static string ContextKey(string name) => $"context/{name}";

    /// <summary>
    /// Checks that a context (null: the current one) leads to a usable server and credentials, naming file and field when not,
    /// then has KubernetesClient build its configuration (running an exec plugin if the user has one).
    /// </summary>
    internal async Task<KubernetesClientConfiguration> ResolveAsync(string? contextName, CancellationToken cancellationToken)
    {
        var files = Files.Count == 0 ? "kubeconfig" : string.Join(Path.PathSeparator, Files);
        var name = string.IsNullOrEmpty(contextName) ? CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeConfigException(files, "current-context", "no current-context is set and no context was given");
        }

        // KubernetesClient matches names ignoring case; kubectl does not, so Ferry picks the entries and hands over only those.
        var context = Model.Contexts.FirstOrDefault(c => c.Name == name) ?? throw new KubeConfigException(files, "contexts", $"no context named \"{name}\"");
        var at = Origins[ContextKey(name)];
        var clusterName = context.ContextDetails?.Cluster;
        var cluster = Model.Clusters.FirstOrDefault(c => c.Name == clusterName)
            ?? throw new KubeConfigException(at.File, $"{at.Field}.cluster", $"context \"{name}\" names cluster \"{clusterName}\", which is not defined");
        var userName = context.ContextDetails?.User;
        User? user = null;
        if (!string.IsNullOrEmpty(userName))
        {
            user = Model.Users.FirstOrDefault(u => u.Name == userName)
                ?? throw new KubeConfigException(at.File, $"{at.Field}.user", $"context \"{name}\" names user \"{userName}\", which is not defined");
        }

        var clusterAt = Origins[ClusterKey(cluster.Name)];
        var endpoint = cluster.ClusterEndpoint ?? new ClusterEndpoint();
        if (string.IsNullOrEmpty(endpoint.Server)
            || !Uri.TryCreate(endpoint.Server, UriKind.Absolute, out var server)
            || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeConfigException(clusterAt.File, $"{clusterAt.Field}.server", "must be an http(s) URL");
        }

        var caPem = endpoint.CertificateAuthorityData is { Length: > 0 } caData
            ? Encoding.UTF8.GetString(Convert.FromBase64String(caData))
            : endpoint.CertificateAuthority is { } caFile ? await ReadAsync(clusterAt, "certificate-authority", caFile, cancellationToken).ConfigureAwait(false) : null;
        try
        {
            KubeClientFactory.ParseAuthorities(caPem, "certificate authority");
        }
        catch (ArgumentException ex)
        {
            throw new KubeConfigException(clusterAt.File, $"{clusterAt.Field}.certificate-authority{(endpoint.CertificateAuthorityData is null ? string.Empty : "-data")}", "is not a PEM certificate", inner: ex);
        }

        var credentials = user is null ? null : await CredentialsAsync(user, endpoint, caPem, cancellationToken).ConfigureAwait(false);
        var single = new K8SConfiguration
        {
            CurrentContext = name,
            Contexts = [context],
            Clusters = [cluster],
            Users = credentials is null ? [] : [new User { Name = user!.Name, UserCredentials = credentials }],
        };

        KubernetesClientConfiguration config;
        try
        {
            // An exec plugin runs synchronously inside; keep it off the caller's thread.
            config = await Task.Run(() => KubernetesClientConfiguration.BuildConfigFromConfigObject(single), cancellationToken).ConfigureAwait(false);
        }
        catch (PackageConfigException ex) when (credentials?.ExternalExecution is { } exec)
        {
            throw ExecFailure(exec, ex);
        }
        catch (PackageConfigException ex)
        {
            var userAt = user is null ? at : Origins[UserKey(user.Name)];
            throw new KubeConfigException(userAt.File, userAt.Field, ex.Message, inner: ex);
        }

        if (user is not null && TokenFiles.TryGetValue(user.Name, out var tokenFile) && string.IsNullOrEmpty(user.UserCredentials?.Token))
        {
            // kubectl's tokenFile, re-read as the token rotates (KubernetesClient's own in-cluster reader does the reading).
            config.TokenProvider = new ReauthenticatingTokenProvider(() => new TokenFileAuth(tokenFile), ex => new KubeCredentialException(tokenFile, $"cannot read the token file: {ex.GetBaseException().Message}", ex));
        }
        else if (config.TokenProvider is ExecTokenProvider && credentials?.ExternalExecution is { } exec)
        {
            // After a 401 a fresh provider runs the plugin again, as kubectl does when a token is revoked before it expires.
            config.TokenProvider = new ReauthenticatingTokenProvider(() => new ExecTokenProvider(exec), ex => ExecFailure(exec, ex));
        }

        return config;
    }

    /// <summary>A KubernetesClient exec failure as Ferry's credential error: its first line, never the plugin's output.</summary>
    internal static KubeCredentialException ExecFailure(ExternalExecution exec, Exception ex)
    {
        var message = ex.Message.Split('\n', 2)[0].Trim();
        var cause = message.LastIndexOf("Exception: ", StringComparison.Ordinal);
        var reason = cause < 0 ? message : message[(cause + "Exception: ".Length)..];
        var hint = string.IsNullOrWhiteSpace(exec.InstallHint) ? string.Empty : $" ({exec.InstallHint.Trim()})";
        return new KubeCredentialException(exec.Command, $"the exec credential plugin failed: {reason}{hint}", ex);
    }

    /// <summary>
    /// A copy of the user's credentials for KubernetesClient: client certificate checked (naming the field), a token read from a
    /// tokenFile so the user counts as having credentials, and an exec plugin's arguments and ExecCredential input made exact.
    /// </summary>
    private async Task<UserCredentials> CredentialsAsync(User user, ClusterEndpoint endpoint, string? caPem, CancellationToken cancellationToken)
    {
        var at = Origins[UserKey(user.Name)];
        var source = user.UserCredentials ?? new UserCredentials();
        var copy = new UserCredentials
        {
            Token = source.Token,
            UserName = source.UserName,
            Password = source.Password,
            ClientCertificateData = source.ClientCertificateData,
            ClientCertificate = source.ClientCertificate,
            ClientKeyData = source.ClientKeyData,
            ClientKey = source.ClientKey,
            AuthProvider = source.AuthProvider,
        };

        var certPem = source.ClientCertificateData is { Length: > 0 } certData ? Encoding.UTF8.GetString(Convert.FromBase64String(certData))
            : source.ClientCertificate is { } certFile ? await ReadAsync(at, "client-certificate", certFile, cancellationToken).ConfigureAwait(false) : null;
        var keyPem = source.ClientKeyData is { Length: > 0 } keyData ? Encoding.UTF8.GetString(Convert.FromBase64String(keyData))
            : source.ClientKey is { } keyFile ? await ReadAsync(at, "client-key", keyFile, cancellationToken).ConfigureAwait(false) : null;
        if (certPem is not null || keyPem is not null)
        {
            if (certPem is null || keyPem is null)
            {
                throw new KubeConfigException(at.File, $"{at.Field}.{(certPem is null ? "client-certificate" : "client-key")}", "a client certificate needs both client-certificate(-data) and client-key(-data)");
            }

            try
            {
                using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
            }
            catch (CryptographicException ex)
            {
                throw new KubeConfigException(at.File, $"{at.Field}.client-key", "the client certificate and key are not a matching PEM certificate and RSA/EC private key", inner: ex);
            }
        }

        if (TokenFiles.TryGetValue(user.Name, out var tokenFile) && string.IsNullOrEmpty(source.Token))
        {
            if (certPem is not null)
            {
                throw new KubeConfigException(at.File, $"{at.Field}.tokenFile", "use either a client certificate or a token file, not both");
            }

            copy.Token = (await ReadAsync(at, "tokenFile", tokenFile, cancellationToken).ConfigureAwait(false)).Trim();
        }

        if (source.ExternalExecution is { } exec)
        {
            copy.ExternalExecution = new ExternalExecution
            {
                ApiVersion = exec.ApiVersion,
                Command = exec.Command,
                InstallHint = exec.InstallHint,
                ProvideClusterInfo = exec.ProvideClusterInfo,

                // KubernetesClient joins the arguments with spaces into one command line; quoting keeps each one whole.
                Arguments = exec.Arguments?.Select(Quote).ToList(),

                // It also announces itself interactive and without the cluster; a later entry of the same name wins, so this one corrects it.
                EnvironmentVariables = [.. exec.EnvironmentVariables ?? [], new Dictionary<string, string> { ["name"] = "KUBERNETES_EXEC_INFO", ["value"] = ExecInfo(exec, endpoint, caPem) }],
            };
        }

        return copy;
    }

    /// <summary>The <c>KUBERNETES_EXEC_INFO</c> kubectl passes: never interactive, the cluster's details when <c>provideClusterInfo</c>.</summary>
    private static string ExecInfo(ExternalExecution exec, ClusterEndpoint endpoint, string? caPem)
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (exec.ProvideClusterInfo)
        {
            var cluster = new JsonObject { ["server"] = endpoint.Server };
            if (caPem is not null)
            {
                cluster["certificate-authority-data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
            }

            if (endpoint.SkipTlsVerify)
            {
                cluster["insecure-skip-tls-verify"] = true;
            }

            if (endpoint.TlsServerName is { Length: > 0 } serverName)
            {
                cluster["tls-server-name"] = serverName;
            }

            spec["cluster"] = cluster;
        }

        return new JsonObject { ["kind"] = "ExecCredential", ["apiVersion"] = exec.ApiVersion, ["spec"] = spec }.ToJsonString();
    }

    /// <summary>Quotes one argument the way .NET splits a command line (whitespace and quotes; backslashes doubled only before a quote).</summary>
    private static string Quote(string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c == '"'))
        {
            return argument;
        }

        var text = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in argument)
        {
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            text.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes).Append(c);
            backslashes = 0;
        }

        return text.Append('\\', backslashes * 2).Append('"').ToString();
    }

    private static async Task<string> ReadAsync(KubeConfigOrigin at, string field, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException(at.File, $"{at.Field}.{field}", $"cannot read {path}: {ex.Message}", inner: ex);
        }
    }
}

/// <summary>Where a kubeconfig entry came from: the file and the field path, e.g. <c>users[0].user</c>.</summary>
internal readonly record struct KubeConfigOrigin(string File, string Field);
