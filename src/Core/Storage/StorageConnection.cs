using Azure.Core;

namespace Ferry.Core.Storage;

/// <summary>Where an Azure Storage account's blob and queue services are and how Ferry authenticates to them.</summary>
/// <remarks>Printing a connection never shows the account key: the key lives in <see cref="StorageSharedKeyCredential"/>, which hides it.</remarks>
public sealed record StorageConnection
{
    /// <summary>The storage account name (signs Shared Key requests).</summary>
    public required string AccountName { get; init; }

    /// <summary>The blob service endpoint, e.g. <c>https://acct.blob.core.windows.net</c> or Azurite's <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public required Uri BlobEndpoint { get; init; }

    /// <summary>The queue service endpoint, e.g. <c>https://acct.queue.core.windows.net</c> or Azurite's <c>http://127.0.0.1:10001/devstoreaccount1</c>.</summary>
    public required Uri QueueEndpoint { get; init; }

    /// <summary>The account key credential, when the connection uses Shared Key.</summary>
    public StorageSharedKeyCredential? SharedKey { get; init; }

    /// <summary>The Azure AD credential, when the connection uses bearer tokens.</summary>
    public TokenCredential? TokenCredential { get; init; }

    /// <summary>Parses a storage connection string (<c>UseDevelopmentStorage=true</c>, account name and key, explicit endpoints).</summary>
    public static StorageConnection Parse(string connectionString) => StorageConnectionParser.ParseConnectionString(connectionString);

    /// <summary>Reads a connection the way the Functions host does: a connection string under <paramref name="connectionName"/>, else identity-based <c>name__*</c> settings.</summary>
    public static StorageConnection FromSettings(IReadOnlyDictionary<string, string?> settings, string connectionName) =>
        StorageConnectionParser.FromSettings(settings, connectionName);

    /// <summary>Reads a connection from environment variables the way the Functions host does (see <see cref="FromSettings"/>).</summary>
    public static StorageConnection FromEnvironment(string connectionName)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            settings[(string)entry.Key] = entry.Value as string;
        }

        return FromSettings(settings, connectionName);
    }
}
