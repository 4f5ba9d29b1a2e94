using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Hosting;

/// <summary>
/// `dotnet publish functions` (the built project, published to a temp folder) has what the Functions host reads: host.json, the
/// Worker SDK's functions.metadata and worker.config.json, the worker assembly, and the extensions under .azurefunctions.
/// </summary>
public sealed class PublishOutputTests(PublishOutputTests.Published published) : IClassFixture<PublishOutputTests.Published>
{
    private static readonly string[] HttpFunctions =
        [FunctionNames.AppAction, FunctionNames.Badge, FunctionNames.GitHubWebhook, FunctionNames.Resource, FunctionNames.ResourceTree, FunctionNames.Status, FunctionNames.StatusPage];

    [Fact]
    public void FunctionsMetadata_ListsTheSixFunctions()
    {
        Assert.Equal(FunctionNames.All, published.Functions.Select(f => (string)f["name"]!).Order(StringComparer.Ordinal));
        Assert.All(published.Functions, f => Assert.Equal("dotnet-isolated", (string?)f["language"]));
        Assert.All(published.Functions, f => Assert.Equal("Ferry.Functions.dll", (string?)f["scriptFile"]));
    }

    [Theory]
    [InlineData(FunctionNames.GitHubWebhook, "post", FunctionRoutes.GitHubWebhook, "api/github")]
    [InlineData(FunctionNames.Status, "get", FunctionRoutes.Apps, "api/apps/{name?}")]
    [InlineData(FunctionNames.Badge, "get", FunctionRoutes.Badge, "api/badge/{name}")]
    [InlineData(FunctionNames.StatusPage, "get", FunctionRoutes.StatusPage, "{page?}")]
    [InlineData(FunctionNames.ResourceTree, "get", FunctionRoutes.ResourceTree, "api/apps/{name}/tree")]
    [InlineData(FunctionNames.Resource, "get", FunctionRoutes.Resource, "api/apps/{name}/resource")]
    [InlineData(FunctionNames.AppAction, "post", FunctionRoutes.AppAction, "api/apps/{name}/{action}")]
    public void HttpFunction_IsAnAnonymousTriggerOnItsRoute_WithAnHttpResult(string function, string method, string route, string expectedRoute)
    {
        var bindings = published.Bindings(function);
        var trigger = bindings.Single(b => (string?)b["type"] == "httpTrigger");

        Assert.Equal(expectedRoute, route);
        Assert.Equal(route, (string?)trigger["route"]);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant()));
        Assert.Equal("anonymous", ((string?)trigger["authLevel"])?.ToLowerInvariant());
        Assert.Equal("in", ((string?)trigger["direction"])?.ToLowerInvariant());
        Assert.Contains(bindings, b => (string?)b["type"] == "http" && ((string?)b["direction"])?.ToLowerInvariant() == "out");
    }

    [Fact]
    public void SyncWorker_IsAQueueTriggerOnFerryJobs_InTheHostsStorageAccount()
    {
        var trigger = Assert.Single(published.Bindings(FunctionNames.SyncWorker));

        Assert.Equal("queueTrigger", (string?)trigger["type"]);
        Assert.Equal("ferry-jobs", (string?)trigger["queueName"]);
        Assert.Equal("AzureWebJobsStorage", (string?)trigger["connection"]);
    }

    [Fact]
    public void DriftCheck_IsATimerOnTheDriftScheduleSetting()
    {
        var trigger = Assert.Single(published.Bindings(FunctionNames.DriftCheck));

        Assert.Equal("timerTrigger", (string?)trigger["type"]);
        Assert.Equal("%FERRY_DRIFT_SCHEDULE%", (string?)trigger["schedule"]);
        Assert.Equal(DriftSchedule.Expression, (string?)trigger["schedule"]);
    }

    [Fact]
    public void WorkerConfig_StartsTheIsolatedWorkerAssembly()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(published.Directory, "worker.config.json")))!["description"]!;

        Assert.Equal("dotnet-isolated", (string?)config["language"]);
        Assert.Equal("dotnet", (string?)config["defaultExecutablePath"]);
        Assert.Equal("Ferry.Functions.dll", (string?)config["defaultWorkerPath"]);
        Assert.True(File.Exists(Path.Combine(published.Directory, "Ferry.Functions.dll")));
        Assert.Equal("true", (string?)config["workerIndexing"]);
    }

    [Fact]
    public void HostJson_IsTheRepositorysOne_WithQueueRetriesAndNoCustomHandlerOrBundle()
    {
        var text = File.ReadAllText(Path.Combine(published.Directory, "host.json"));
        var host = JsonNode.Parse(text)!;

        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")), text);
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("00:10:00", (string?)host["functionTimeout"]);
        Assert.Null(host["customHandler"]);
        Assert.Null(host["extensionBundle"]);
        Assert.Equal(string.Empty, (string?)host["extensions"]!["http"]!["routePrefix"]);
        var queues = host["extensions"]!["queues"]!;
        Assert.Equal(StorageNames.QueueOptions.MaxDequeueCount, (int?)queues["maxDequeueCount"]);
        Assert.Equal(5, (int?)queues["maxDequeueCount"]);
        Assert.Equal("base64", (string?)queues["messageEncoding"]);
        Assert.Equal("00:00:30", (string?)queues["visibilityTimeout"]);
        Assert.NotNull((int?)queues["batchSize"]);
        Assert.True((bool?)host["logging"]!["applicationInsights"]!["samplingSettings"]!["isEnabled"]);
    }

    [Fact]
    public void AzureFunctionsFolder_CarriesTheQueueExtension_SoNoBundleIsNeeded()
    {
        var folder = Path.Combine(published.Directory, ".azurefunctions");
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(published.Directory, "extensions.json")))!["extensions"]!.AsArray();

        var queues = Assert.Single(extensions, e => (string?)e!["name"] == "AzureStorageQueues")!;
        Assert.StartsWith("Microsoft.Azure.WebJobs.Extensions.Storage.AzureStorageQueuesWebJobsStartup, Microsoft.Azure.WebJobs.Extensions.Storage.Queues,", (string?)queues["typeName"], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(published.Directory, (string)queues["hintPath"]!)));
        Assert.True(File.Exists(Path.Combine(folder, "Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll")));
    }

    [Fact]
    public void HttpRoutes_AreTheOnesTheLocalHostServes()
    {
        Assert.Equal(HttpFunctions, published.Functions.Where(f => f["bindings"]!.AsArray().Any(b => (string?)b!["type"] == "httpTrigger"))
            .Select(f => (string)f["name"]!).Order(StringComparer.Ordinal));
    }

    /// <summary>The functions project published once (no build: the tests' build made it) into a temp folder.</summary>
    public sealed class Published : IDisposable
    {
        private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp = new();

        public Published()
        {
            Directory = Path.Combine(_temp.Path, "publish");
            var configuration = new DirectoryInfo(RepoPaths.FunctionsOutput).Parent!.Name;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])["publish", Path.Combine(RepoPaths.Root, "functions", "Ferry.Functions.csproj"), "--no-build", "-c", configuration, "-o", Directory, "-nologo"])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"dotnet publish failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
            Functions = [.. JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, "functions.metadata")))!.AsArray().Select(f => f!.AsObject())];
        }

        public string Directory { get; }

        public IReadOnlyList<JsonObject> Functions { get; }

        public IReadOnlyList<JsonObject> Bindings(string function) =>
            [.. Functions.Single(f => (string?)f["name"] == function)["bindings"]!.AsArray().Select(b => b!.AsObject())];

        public void Dispose() => _temp.Dispose();
    }
}
