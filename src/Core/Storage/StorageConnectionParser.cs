using System.Net;
using Azure.Core;
using Azure.Identity;

namespace Ferry.Core.Storage;

/// <summary>Turns connection strings and the Functions host's identity-based settings into a <see cref="StorageConnection"/>.</summary>
internal static class StorageConnectionParser
{
    /// <summary>Azurite's well-known development account (published in Azure's docs; not a secret).</summary>
    internal const string DevelopmentAccountName = "devstoreaccount1";

    internal const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const string DefaultEndpointSuffix = "core.windows.net";

    public static StorageConnection ParseConnectionString(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var parts = SplitConnectionString(connectionString);

        if (parts.TryGetValue("UseDevelopmentStorage", out var useDevelopment) && bool.TryParse(useDevelopment, out var isDevelopment) && isDevelopment)
        {
            return Development(parts.GetValueOrDefault("DevelopmentStorageProxyUri"));
        }

        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new StorageConfigurationException("SharedAccessSignature", "is not supported; use AccountName/AccountKey or an identity-based connection");
        }

        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        if (protocol is not ("https" or "http"))
        {
            throw new StorageConfigurationException("DefaultEndpointsProtocol", "must be http or https");
        }

        var suffix = parts.GetValueOrDefault("EndpointSuffix") ?? DefaultEndpointSuffix;
        var accountName = parts.GetValueOrDefault("AccountName");
        var blob = ExplicitEndpoint(parts, "BlobEndpoint");
        var queue = ExplicitEndpoint(parts, "QueueEndpoint");

        accountName ??= AccountNameFromEndpoint(blob ?? queue);
        if (string.IsNullOrEmpty(accountName))
        {
            throw new StorageConfigurationException("AccountName", "is missing and cannot be derived from an endpoint");
        }

        blob ??= new Uri($"{protocol}://{accountName}.blob.{suffix}");
        queue ??= new Uri($"{protocol}://{accountName}.queue.{suffix}");

        var key = parts.GetValueOrDefault("AccountKey");
        if (string.IsNullOrEmpty(key))
        {
            throw new StorageConfigurationException("AccountKey", "is missing; a connection string needs AccountKey (or use identity-based settings)");
        }

        return new StorageConnection
        {
            AccountName = accountName,
            BlobEndpoint = blob,
            QueueEndpoint = queue,
            SharedKey = new StorageSharedKeyCredential(accountName, key),
        };
    }

    public static StorageConnection FromSettings(IReadOnlyDictionary<string, string?> settings, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        // The host looks for the name itself, then the "AzureWebJobs" prefixed name, first as a value, then as a section.
        string[] names = connectionName.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase)
            ? [connectionName]
            : [connectionName, "AzureWebJobs" + connectionName];

        foreach (var name in names)
        {
            var value = Lookup(settings, name);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return ParseConnectionString(value);
            }
        }

        foreach (var name in names)
        {
            var section = Section(settings, name);
            if (section.Count > 0)
            {
                return FromIdentitySection(section, name);
            }
        }

        throw new StorageConfigurationException(connectionName, $"is not set: expected a connection string or {connectionName}__accountName / __queueServiceUri / __blobServiceUri");
    }

    private static StorageConnection FromIdentitySection(Dictionary<string, string> section, string name)
    {
        var accountName = section.GetValueOrDefault("accountName");
        var blob = SectionUri(section, name, "blobServiceUri") ?? SectionUri(section, name, "serviceUri");
        var queue = SectionUri(section, name, "queueServiceUri");

        if (accountName is null && blob is null && queue is null)
        {
            throw new StorageConfigurationException(name + "__accountName", "is missing (or set __blobServiceUri and __queueServiceUri)");
        }

        accountName ??= AccountNameFromEndpoint(queue ?? blob);
        if (string.IsNullOrEmpty(accountName))
        {
            throw new StorageConfigurationException(name + "__accountName", "is missing and cannot be derived from the service URIs");
        }

        blob ??= new Uri($"https://{accountName}.blob.{DefaultEndpointSuffix}");
        queue ??= new Uri($"https://{accountName}.queue.{DefaultEndpointSuffix}");

        return new StorageConnection
        {
            AccountName = accountName,
            BlobEndpoint = blob,
            QueueEndpoint = queue,
            TokenCredential = CreateCredential(section),
        };
    }

    private static TokenCredential CreateCredential(Dictionary<string, string> section)
    {
        var credential = section.GetValueOrDefault("credential");
        var clientId = section.GetValueOrDefault("clientId");

        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            var id = string.IsNullOrEmpty(clientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId);
            return new ManagedIdentityCredential(id);
        }

        var tenantId = section.GetValueOrDefault("tenantId");
        var clientSecret = section.GetValueOrDefault("clientSecret");
        if (!string.IsNullOrEmpty(tenantId) && !string.IsNullOrEmpty(clientId) && !string.IsNullOrEmpty(clientSecret))
        {
            return new ClientSecretCredential(tenantId, clientId, clientSecret);
        }

        // Without "credential", the host (and so Ferry) falls back to the developer credential chain.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrEmpty(clientId) ? null : clientId });
    }

    private static StorageConnection Development(string? proxyUri)
    {
        var root = string.IsNullOrEmpty(proxyUri) ? new Uri("http://127.0.0.1") : new Uri(proxyUri);
        return new StorageConnection
        {
            AccountName = DevelopmentAccountName,
            BlobEndpoint = new Uri($"{root.Scheme}://{root.Host}:10000/{DevelopmentAccountName}"),
            QueueEndpoint = new Uri($"{root.Scheme}://{root.Host}:10001/{DevelopmentAccountName}"),
            SharedKey = new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey),
        };
    }

    private static Dictionary<string, string> SplitConnectionString(string connectionString)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split at the first '=' only: base64 keys end in '='.
            var equals = segment.IndexOf('=');
            if (equals <= 0)
            {
                throw new StorageConfigurationException("connection string", "has a segment without 'key=value'");
            }

            parts[segment[..equals].Trim()] = segment[(equals + 1)..].Trim();
        }

        if (parts.Count == 0)
        {
            throw new StorageConfigurationException("connection string", "is empty");
        }

        return parts;
    }

    private static Uri? ExplicitEndpoint(Dictionary<string, string> parts, string key)
    {
        var value = parts.GetValueOrDefault(key);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new StorageConfigurationException(key, "is not an absolute http(s) URI");
    }

    private static Uri? SectionUri(Dictionary<string, string> section, string name, string key)
    {
        var value = section.GetValueOrDefault(key);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new StorageConfigurationException($"{name}__{key}", "is not an absolute http(s) URI");
    }

    /// <summary>The account in a path-style URL (<c>http://127.0.0.1:10000/acct</c>) or the first label of the host (<c>acct.blob.core.windows.net</c>).</summary>
    internal static string? AccountNameFromEndpoint(Uri? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        var firstSegment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
        var pathStyle = endpoint.IsLoopback || IPAddress.TryParse(endpoint.Host, out _) || !endpoint.Host.Contains('.', StringComparison.Ordinal);
        if (pathStyle)
        {
            return firstSegment.Length > 0 ? firstSegment : null;
        }

        return endpoint.Host.Split('.')[0];
    }

    private static string? Lookup(IReadOnlyDictionary<string, string?> settings, string key)
    {
        if (settings.TryGetValue(key, out var value))
        {
            return value;
        }

        foreach (var (candidate, candidateValue) in settings)
        {
            if (string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidateValue;
            }
        }

        return null;
    }

    /// <summary>The <c>name__key</c> (environment) or <c>name:key</c> (configuration) settings of a section, keyed case-insensitively.</summary>
    private static Dictionary<string, string> Section(IReadOnlyDictionary<string, string?> settings, string name)
    {
        var section = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            foreach (var separator in (string[])["__", ":"])
            {
                var prefix = name + separator;
                if (key.Length > prefix.Length && key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    section[key[prefix.Length..]] = value;
                }
            }
        }

        return section;
    }
}
