using Azure.Identity;
using Ferry.Core.Storage;

namespace Ferry.Core.Tests.Storage;

public sealed class StorageConnectionTests
{
    private const string Key = "a2V5LWJ5dGVzLWZvci10ZXN0cy1vbmx5LW5vdC1hLXJlYWwta2V5LTAxMjM0NTY3ODk=";

    [Fact]
    public void Parse_UseDevelopmentStorage_PointsAtAzuriteDefaults()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal("devstoreaccount1", connection.SharedKey?.AccountName);
    }

    [Theory]
    [InlineData("default-suffix", $"DefaultEndpointsProtocol=https;AccountName=ferry;AccountKey={Key}", "https://ferry.blob.core.windows.net/", "https://ferry.queue.core.windows.net/")]
    [InlineData("sovereign-suffix", $"DefaultEndpointsProtocol=https;AccountName=ferry;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn", "https://ferry.blob.core.chinacloudapi.cn/", "https://ferry.queue.core.chinacloudapi.cn/")]
    [InlineData("explicit-endpoints", $"AccountName=ferry;AccountKey={Key};BlobEndpoint=https://b.example/;QueueEndpoint=https://q.example/", "https://b.example/", "https://q.example/")]
    [InlineData("one-explicit", $"AccountName=ferry;AccountKey={Key};QueueEndpoint=http://127.0.0.1:7/ferry", "https://ferry.blob.core.windows.net/", "http://127.0.0.1:7/ferry")]
    [InlineData("keys-any-case-and-spaces", $" accountname = ferry ; ACCOUNTKEY={Key} ; ", "https://ferry.blob.core.windows.net/", "https://ferry.queue.core.windows.net/")]
    public void Parse_AccountKeyForms_ResolveEndpoints(string name, string connectionString, string blob, string queue)
    {
        var connection = StorageConnection.Parse(connectionString);

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal("ferry", connection.AccountName);
        Assert.Equal(new Uri(blob), connection.BlobEndpoint);
        Assert.Equal(new Uri(queue), connection.QueueEndpoint);
        Assert.NotNull(connection.SharedKey);
        Assert.Null(connection.TokenCredential);
    }

    [Fact]
    public void Parse_PathStyleEndpointsWithoutAccountName_TakesAccountFromPath()
    {
        var connection = StorageConnection.Parse(
            $"AccountKey={Key};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1");

        Assert.Equal("devstoreaccount1", connection.AccountName);
    }

    [Theory]
    [InlineData("no-key", "AccountName=ferry", "AccountKey")]
    [InlineData("bad-base64-key", "AccountName=ferry;AccountKey=not*base64*secret", "AccountKey")]
    [InlineData("no-account", $"AccountKey={Key}", "AccountName")]
    [InlineData("sas", "BlobEndpoint=https://b.example;SharedAccessSignature=sv=2021&sig=secret", "SharedAccessSignature")]
    [InlineData("bad-protocol", $"DefaultEndpointsProtocol=ftp;AccountName=ferry;AccountKey={Key}", "DefaultEndpointsProtocol")]
    [InlineData("not-key-value", "garbage", "connection string")]
    public void Parse_Invalid_ThrowsNamingTheSettingNotItsValue(string name, string connectionString, string setting)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageConnection.Parse(connectionString));

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(setting, error.Setting);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_SharedKeyConnection_DoesNotShowTheKey()
    {
        var connection = StorageConnection.Parse($"AccountName=ferry;AccountKey={Key}");

        var printed = connection.ToString();

        Assert.Contains("ferry", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, printed, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSettings_ConnectionStringValue_ParsesIt()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" };

        var connection = StorageConnection.FromSettings(settings, "AzureWebJobsStorage");

        Assert.Equal("devstoreaccount1", connection.AccountName);
    }

    [Fact]
    public void FromSettings_AccountName_UsesPublicEndpointsAndTheDefaultCredentialChain()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage__accountName"] = "ferryprod" };

        var connection = StorageConnection.FromSettings(settings, "AzureWebJobsStorage");

        Assert.Equal(new Uri("https://ferryprod.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://ferryprod.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.IsType<DefaultAzureCredential>(connection.TokenCredential);
        Assert.Null(connection.SharedKey);
    }

    [Fact]
    public void FromSettings_ServiceUrisWithManagedIdentity_UsesManagedIdentityCredential()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage__queueServiceUri"] = "https://ferryprod.queue.core.windows.net",
            ["Storage__blobServiceUri"] = "https://ferryprod.blob.core.windows.net",
            ["Storage__credential"] = "managedidentity",
            ["Storage__clientId"] = "00000000-0000-0000-0000-000000000001",
        };

        var connection = StorageConnection.FromSettings(settings, "Storage");

        Assert.Equal("ferryprod", connection.AccountName);
        Assert.Equal(new Uri("https://ferryprod.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.IsType<ManagedIdentityCredential>(connection.TokenCredential);
    }

    [Fact]
    public void FromSettings_ColonSeparatedAndPrefixedName_FoundLikeTheHost()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsJobs:accountName"] = "ferryjobs" };

        var connection = StorageConnection.FromSettings(settings, "Jobs");

        Assert.Equal("ferryjobs", connection.AccountName);
    }

    [Fact]
    public void FromSettings_NothingSet_ThrowsNamingTheConnection()
    {
        var error = Assert.Throws<StorageConfigurationException>(
            () => StorageConnection.FromSettings(new Dictionary<string, string?> { ["Other"] = "x" }, "AzureWebJobsStorage"));

        Assert.Equal("AzureWebJobsStorage", error.Setting);
    }
}
