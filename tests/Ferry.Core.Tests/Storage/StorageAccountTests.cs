using Azure.Identity;
using Ferry.Core.Storage;

namespace Ferry.Core.Tests.Storage;

public sealed class StorageAccountTests
{
    private const string Key = "a2V5LWJ5dGVzLWZvci10ZXN0cy1vbmx5LW5vdC1hLXJlYWwta2V5LTAxMjM0NTY3ODk=";

    [Fact]
    public void FromConnectionString_UseDevelopmentStorage_PointsAtAzuriteDefaults()
    {
        var account = StorageAccount.FromConnectionString("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), account.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), account.Queues.Uri);
        Assert.Null(account.Credential);
    }

    [Theory]
    [InlineData("default-suffix", $"DefaultEndpointsProtocol=https;AccountName=ferry;AccountKey={Key}", "https://ferry.blob.core.windows.net/", "https://ferry.queue.core.windows.net/")]
    [InlineData("sovereign-suffix", $"DefaultEndpointsProtocol=https;AccountName=ferry;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn", "https://ferry.blob.core.chinacloudapi.cn/", "https://ferry.queue.core.chinacloudapi.cn/")]
    [InlineData("explicit-endpoints", $"AccountName=ferry;AccountKey={Key};BlobEndpoint=https://b.example/;QueueEndpoint=https://q.example/", "https://b.example/", "https://q.example/")]
    public void FromConnectionString_AccountKeyForms_ResolveEndpoints(string name, string connectionString, string blob, string queue)
    {
        var account = StorageAccount.FromConnectionString(connectionString);

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(new Uri(blob), account.Blobs.Uri);
        Assert.Equal(new Uri(queue), account.Queues.Uri);
        Assert.True(account.Queues.CanGenerateAccountSasUri);
        Assert.Null(account.Credential);
    }

    [Theory]
    [InlineData("no-key", "DefaultEndpointsProtocol=https;AccountName=ferry")]
    [InlineData("bad-base64-key", "AccountName=ferry;AccountKey=not*base64*secret")]
    [InlineData("not-key-value", "garbage-secret")]
    public void FromConnectionString_Invalid_ThrowsNamingTheSettingNotItsValue(string name, string connectionString)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => StorageAccount.FromConnectionString(connectionString, "AzureWebJobsStorage"));

        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal("AzureWebJobsStorage", error.Setting);
        Assert.DoesNotContain("secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromSettings_ConnectionStringValue_ParsesIt()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" };

        var account = StorageAccount.FromSettings(settings, "AzureWebJobsStorage");

        Assert.Equal("devstoreaccount1", account.AccountName);
    }

    [Fact]
    public void FromSettings_AccountName_UsesPublicEndpointsAndTheDefaultCredentialChain()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage__accountName"] = "ferryprod" };

        var account = StorageAccount.FromSettings(settings, "AzureWebJobsStorage");

        Assert.Equal(new Uri("https://ferryprod.queue.core.windows.net"), account.Queues.Uri);
        Assert.Equal(new Uri("https://ferryprod.blob.core.windows.net"), account.Blobs.Uri);
        Assert.Equal("ferryprod", account.AccountName);
        Assert.IsType<DefaultAzureCredential>(account.Credential);
    }

    [Fact]
    public void FromSettings_ServiceUrisWithManagedIdentity_UsesManagedIdentityCredential()
    {
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage__queueServiceUri"] = "https://ferryprod.queue.core.windows.net",
            ["AzureWebJobsStorage__blobServiceUri"] = "https://ferryprod.blob.core.windows.net",
            ["AzureWebJobsStorage__credential"] = "managedidentity",
            ["AzureWebJobsStorage__clientId"] = "00000000-0000-0000-0000-000000000001",
        };

        var account = StorageAccount.FromSettings(settings, "AzureWebJobsStorage");

        Assert.Equal("ferryprod", account.AccountName);
        Assert.Equal(new Uri("https://ferryprod.queue.core.windows.net"), account.Queues.Uri);
        Assert.Equal(new Uri("https://ferryprod.blob.core.windows.net"), account.Blobs.Uri);
        Assert.IsType<ManagedIdentityCredential>(account.Credential);
    }

    [Fact]
    public void FromSettings_OnlyOneServiceUri_ThrowsNamingAccountName()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage__queueServiceUri"] = "https://ferryprod.queue.core.windows.net" };

        var error = Assert.Throws<StorageConfigurationException>(() => StorageAccount.FromSettings(settings, "AzureWebJobsStorage"));

        Assert.Equal("AzureWebJobsStorage__accountName", error.Setting);
    }

    [Fact]
    public void FromSettings_BadServiceUri_ThrowsNamingIt()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsStorage__accountName"] = "ferryprod", ["AzureWebJobsStorage__blobServiceUri"] = "not a uri" };

        var error = Assert.Throws<StorageConfigurationException>(() => StorageAccount.FromSettings(settings, "AzureWebJobsStorage"));

        Assert.Equal("AzureWebJobsStorage__blobServiceUri", error.Setting);
    }

    [Fact]
    public void FromSettings_ColonSeparatedAndPrefixedName_FoundLikeTheHost()
    {
        var settings = new Dictionary<string, string?> { ["AzureWebJobsJobs:accountName"] = "ferryjobs" };

        var account = StorageAccount.FromSettings(settings, "Jobs");

        Assert.Equal("ferryjobs", account.AccountName);
    }

    [Fact]
    public void FromSettings_NothingSet_ThrowsNamingTheConnection()
    {
        var error = Assert.Throws<StorageConfigurationException>(
            () => StorageAccount.FromSettings(new Dictionary<string, string?> { ["Other"] = "x" }, "AzureWebJobsStorage"));

        Assert.Equal("AzureWebJobsStorage", error.Setting);
        Assert.False(StorageAccount.IsConfigured(new Dictionary<string, string?> { ["Other"] = "x" }, "AzureWebJobsStorage"));
    }
}
