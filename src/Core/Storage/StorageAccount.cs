using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Ferry.Core.Storage;

/// <summary>
/// The queue and blob service clients of the storage account a Functions connection setting names: a connection string under
/// the setting itself, or the identity-based <c>name__queueServiceUri</c> / <c>__blobServiceUri</c> / <c>__accountName</c> /
/// <c>__credential</c> / <c>__clientId</c> settings, read the way the Functions host reads them.
/// </summary>
/// <remarks>
/// Queue clients use the SDK's default (no) message encoding: <see cref="Jobs.StorageJobQueue"/> writes base64 itself, so a
/// message that is not base64 reaches it as text it can poison instead of failing the whole receive.
/// </remarks>
public sealed class StorageAccount
{
    private const string DefaultEndpointSuffix = "core.windows.net";

    private StorageAccount(QueueServiceClient queues, BlobServiceClient blobs, TokenCredential? credential)
    {
        Queues = queues;
        Blobs = blobs;
        Credential = credential;
    }

    /// <summary>The account's queue service.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>The account's blob service.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>The Azure AD credential of an identity-based connection; null for a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>The account name, for logs (never a key).</summary>
    public string AccountName => Queues.AccountName;

    /// <summary>Clients for a storage connection string (account key, SAS or <c>UseDevelopmentStorage=true</c>), parsed by the SDK.</summary>
    public static StorageAccount FromConnectionString(string connectionString, string setting = "connection string")
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            return new StorageAccount(new QueueServiceClient(connectionString, QueueOptions()), new BlobServiceClient(connectionString, BlobOptions()), null);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message can quote the string, and with it the key: name the setting only.
            throw new StorageConfigurationException(setting, "is not a valid storage connection string (AccountName/AccountKey, endpoints, or UseDevelopmentStorage=true)");
        }
    }

    /// <summary>Clients for the connection named <paramref name="connectionName"/> in <paramref name="settings"/> (app settings or environment).</summary>
    public static StorageAccount FromSettings(IReadOnlyDictionary<string, string?> settings, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        // The host tries the name itself, then the "AzureWebJobs" prefixed name; first as a value, then as a section.
        string[] names = connectionName.StartsWith("AzureWebJobs", StringComparison.OrdinalIgnoreCase) ? [connectionName] : [connectionName, "AzureWebJobs" + connectionName];
        foreach (var name in names)
        {
            if (Lookup(settings, name) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value))
            {
                return FromConnectionString(value, name);
            }
        }

        foreach (var name in names)
        {
            if (Section(settings, name) is { Count: > 0 } section)
            {
                return FromIdentitySection(section, name);
            }
        }

        throw new StorageConfigurationException(connectionName, $"is not set: expected a connection string or {connectionName}__accountName / __queueServiceUri / __blobServiceUri");
    }

    /// <summary>Clients for the connection named <paramref name="connectionName"/> in the process environment.</summary>
    public static StorageAccount FromEnvironment(string connectionName)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            settings[(string)entry.Key] = entry.Value as string;
        }

        return FromSettings(settings, connectionName);
    }

    /// <summary>Whether <paramref name="settings"/> configure the connection at all (a value or any <c>name__*</c> setting).</summary>
    public static bool IsConfigured(IReadOnlyDictionary<string, string?> settings, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return !string.IsNullOrWhiteSpace(Lookup(settings, connectionName)) || Section(settings, connectionName).Count > 0;
    }

    private static StorageAccount FromIdentitySection(Dictionary<string, string> section, string name)
    {
        var accountName = section.GetValueOrDefault("accountName");
        var blob = SectionUri(section, name, "blobServiceUri") ?? SectionUri(section, name, "serviceUri");
        var queue = SectionUri(section, name, "queueServiceUri");
        if (string.IsNullOrEmpty(accountName) && (blob is null || queue is null))
        {
            throw new StorageConfigurationException(name + "__accountName", "is missing (or set both __blobServiceUri and __queueServiceUri)");
        }

        blob ??= new Uri($"https://{accountName}.blob.{DefaultEndpointSuffix}");
        queue ??= new Uri($"https://{accountName}.queue.{DefaultEndpointSuffix}");
        var credential = CreateCredential(section);
        return new StorageAccount(new QueueServiceClient(queue, credential, QueueOptions()), new BlobServiceClient(blob, credential, BlobOptions()), credential);
    }

    private static TokenCredential CreateCredential(Dictionary<string, string> section)
    {
        var clientId = section.GetValueOrDefault("clientId");
        if (string.Equals(section.GetValueOrDefault("credential"), "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        var tenantId = section.GetValueOrDefault("tenantId");
        var clientSecret = section.GetValueOrDefault("clientSecret");
        if (!string.IsNullOrEmpty(tenantId) && !string.IsNullOrEmpty(clientId) && !string.IsNullOrEmpty(clientSecret))
        {
            return new ClientSecretCredential(tenantId, clientId, clientSecret);
        }

        // Without "credential" the host falls back to the developer credential chain, and so does Ferry.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrEmpty(clientId) ? null : clientId });
    }

    private static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.None };

    private static BlobClientOptions BlobOptions() => new();

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

    private static string? Lookup(IReadOnlyDictionary<string, string?> settings, string key)
    {
        if (settings.TryGetValue(key, out var value))
        {
            return value;
        }

        return settings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
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
