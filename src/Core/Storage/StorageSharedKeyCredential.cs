using System.Security.Cryptography;
using System.Text;

namespace Ferry.Core.Storage;

/// <summary>A storage account name and key for Shared Key authorization; the key is never printed.</summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] key;

    /// <summary>Creates the credential from the account name and the base64 account key.</summary>
    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        ArgumentNullException.ThrowIfNull(accountKey);
        AccountName = accountName;
        try
        {
            key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            // The key itself stays out of the message.
            throw new StorageConfigurationException("AccountKey", "is not valid base64");
        }

        if (key.Length == 0)
        {
            throw new StorageConfigurationException("AccountKey", "is empty");
        }
    }

    /// <summary>The account the key belongs to.</summary>
    public string AccountName { get; }

    /// <summary>The base64 HMAC-SHA256 of a string-to-sign under the account key.</summary>
    internal string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Names the account only.</summary>
    public override string ToString() => $"SharedKey({AccountName})";
}
