using System.Reflection;
using IOFile = System.IO.File;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Identity;
using Ferry.Core.Jobs;
using Ferry.Core.Storage;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Infra;

/// <summary>No Bicep compiler runs here, so these tests read <c>infra/</c> with a small Bicep reader and hold it to the code.</summary>
public sealed partial class BicepTemplateTests
{
    // Built-in role definition ids Ferry's identity may hold; anything else (Owner, Contributor, account keys) is a finding.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string AksRbacClusterAdmin = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";
    private const string AksRbacAdmin = "3498e952-d568-435e-9b2c-8d77e338d7f7";
    private const string AksRbacWriter = "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb";

    private static readonly string InfraDirectory = Path.Combine(RepoPaths.Root, "infra");

    private static readonly Lazy<IReadOnlyList<BicepFile>> Files = new(() =>
        [.. Directory.GetFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(BicepFile.Load)]);

    public static TheoryData<string> BicepFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(InfraDirectory, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void Template_Lexes_BracketsQuotesAndCommentsBalance(string file)
    {
        var bicep = BicepFile.Load(Path.Combine(InfraDirectory, file));

        Assert.Empty(bicep.Problems);
        Assert.NotEmpty(bicep.Resources.Concat(bicep.Modules));
    }

    [Theory]
    [InlineData("var a = 'it\\'s ${concat('x', '}')}'\nvar b = [\n  1\n]\n", true)]
    [InlineData("var a = '''\nmulti ' line { \n'''\n// a ' comment {\n/* and ( */\nvar b = {}\n", true)]
    [InlineData("var a = {\n  b: [1, 2}\n}\n", false)]
    [InlineData("var a = 'not closed\nvar b = 1\n", false)]
    [InlineData("var a = '${b'\n", false)]
    [InlineData("resource r 'T@1' = {\n  name: 'x'\n", false)]
    public void Reader_BalanceCheck_FindsWhatItShould(string text, bool clean)
    {
        Assert.Equal(clean, BicepFile.Parse(text).Problems.Count == 0);
    }

    [Fact]
    public void Modules_PathsExistAndParametersMatch()
    {
        var checkedModules = 0;
        foreach (var bicep in Files.Value)
        {
            foreach (var module in bicep.Modules)
            {
                var path = Path.Combine(Path.GetDirectoryName(bicep.Path)!, module.Type);
                Assert.True(IOFile.Exists(path), $"{bicep.Path}: module '{module.Symbol}' points at missing {module.Type}");
                var target = BicepFile.Load(path);
                var passed = bicep.Nested(module.BodyStart, "params").Keys.ToHashSet(StringComparer.Ordinal);
                Assert.Empty(passed.Except(target.Parameters.Keys));
                Assert.Empty(target.Parameters.Where(p => !p.Value.HasDefault).Select(p => p.Key).Except(passed));
                checkedModules++;
            }
        }

        Assert.Equal(7, checkedModules);
    }

    [Fact]
    public void LoadTextContent_FilesExist_AndTheWorkbookIsANotebook()
    {
        var loads = Files.Value.SelectMany(f => LoadTextContent().Matches(f.Text).Select(m => Path.Combine(Path.GetDirectoryName(f.Path)!, m.Groups["path"].Value))).ToList();

        var workbook = Assert.Single(loads);
        Assert.Equal(Path.Combine(InfraDirectory, "workbook.json"), Path.GetFullPath(workbook));
        Assert.Equal("Notebook/1.0", (string?)JsonNode.Parse(IOFile.ReadAllText(workbook))!["version"]);
        var resource = Assert.Single(Files.Value.SelectMany(f => f.Resources), r => r.Type.StartsWith("Microsoft.Insights/workbooks@", StringComparison.Ordinal));
        Assert.Contains("loadTextContent('../workbook.json')", resource.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_EverySettingTheCodeReads_IsInTheTemplate()
    {
        var template = TemplateSettings();

        Assert.Empty(AppSettingNames.Deployed.Except(template.Keys));
        Assert.Empty(AppSettingNames.StorageIdentitySettings.Except(template.Keys));
        Assert.Empty(AppSettingNames.NotDeployed.Intersect(template.Keys));
    }

    [Fact]
    public void AppSettings_SettingNamesInSources_AreAllDeclaredInAppSettingNames()
    {
        var declared = typeof(AppSettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in new[] { "functions", Path.Combine("src", "Core") })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, root), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                var text = IOFile.ReadAllText(file);
                foreach (Match m in SettingLiteral().Matches(text))
                {
                    found.Add(m.Groups["name"].Value);
                }

                // Settings read by name in the functions adapter: get("X") and Environment.GetEnvironmentVariable("X").
                if (file.StartsWith(Path.Combine(RepoPaths.Root, "functions"), StringComparison.Ordinal))
                {
                    foreach (Match m in SettingRead().Matches(text))
                    {
                        found.Add(m.Groups["name"].Value);
                    }
                }
            }
        }

        Assert.Contains(AppSettingNames.GitHubWebhookSecret, found);
        Assert.Empty(found.Except(declared));
    }

    [Fact]
    public void AppSettings_StorageIdentitySettings_ReadByTheHostConventionParser()
    {
        var settings = TemplateSettings().Keys
            .Where(k => k.StartsWith(AppSettingNames.Storage + "__", StringComparison.Ordinal))
            .ToDictionary(k => k, k => (string?)(k[(AppSettingNames.Storage.Length + 2)..] switch
            {
                "accountName" => "stferry",
                "credential" => "managedidentity",
                "clientId" => "00000000-0000-0000-0000-000000000001",
                "blobServiceUri" => "https://stferry.blob.core.windows.net/",
                "queueServiceUri" => "https://stferry.queue.core.windows.net/",
                var other => throw new InvalidOperationException($"unexpected storage setting {other}"),
            }), StringComparer.OrdinalIgnoreCase);

        var connection = StorageConnection.FromSettings(settings, ConnectionOf(FunctionNames.SyncWorker));

        Assert.Equal("stferry", connection.AccountName);
        Assert.Equal(new Uri("https://stferry.queue.core.windows.net/"), connection.QueueEndpoint);
        Assert.IsType<ManagedIdentityCredential>(connection.TokenCredential);
        Assert.Null(connection.SharedKey);
        Assert.Equal(AppSettingNames.Storage, ConnectionOf(FunctionNames.SyncWorker));
    }

    [Fact]
    public void AppSettings_Secrets_AreKeyVaultReferences()
    {
        var template = TemplateSettings();

        Assert.All(AppSettingNames.Secrets, name => Assert.Contains("@Microsoft.KeyVault(SecretUri=${", template[name], StringComparison.Ordinal));
        Assert.All(template.Where(s => !AppSettingNames.Secrets.Contains(s.Key)), s => Assert.DoesNotContain("KeyVault", s.Value, StringComparison.Ordinal));
        var functionApp = Template("modules/functionapp.bicep");
        Assert.Equal("identityId", functionApp.Nested(functionApp.Resources.Single(r => r.Symbol == "site").BodyStart, "properties")["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public void Storage_QueuesAndContainers_MatchHostJsonFunctionJsonAndCode()
    {
        var storage = Template("modules/storage.bicep");
        string[] NamesOf(string type) =>
            [.. storage.Resources.Where(r => r.Type.StartsWith(type + "@", StringComparison.Ordinal)).Select(r => Unquote(storage.Keys(r)["name"])).Order(StringComparer.Ordinal)];

        Assert.Equal([StorageNames.JobsQueue, StorageNames.PoisonQueue], NamesOf("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Equal([StorageNames.DeploymentContainer, StorageNames.StatusContainer], NamesOf("Microsoft.Storage/storageAccounts/blobServices/containers"));

        var worker = Binding(FunctionNames.SyncWorker);
        Assert.Equal(StorageNames.JobsQueue, (string?)worker["queueName"]);
        var defaults = new JobQueueOptions();
        Assert.Equal((defaults.QueueName, defaults.PoisonQueueName, defaults.MaxDequeueCount), (StorageNames.QueueOptions.QueueName, StorageNames.QueueOptions.PoisonQueueName, StorageNames.QueueOptions.MaxDequeueCount));
        var host = JsonNode.Parse(IOFile.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;
        Assert.Equal(defaults.MaxDequeueCount, (int?)host["extensions"]!["queues"]!["maxDequeueCount"]);
        Assert.Contains("deploymentContainer.name", storage.Text, StringComparison.Ordinal);
        Assert.Equal("false", storage.Nested(storage.Resources.Single(r => r.Symbol == "account").BodyStart, "properties")["allowSharedKeyAccess"]);
    }

    [Fact]
    public void Roles_AreTheLeastPrivilegeBuiltInsOnTheirOwnScopes()
    {
        var assignments = Files.Value.SelectMany(f => f.Resources.Where(r => r.Type.StartsWith("Microsoft.Authorization/roleAssignments@", StringComparison.Ordinal)).Select(r => (File: f, Resource: r))).ToList();
        var granted = new List<(string File, string Role, string Scope)>();
        foreach (var (file, resource) in assignments)
        {
            var keys = file.Keys(resource);
            var properties = file.Nested(resource.BodyStart, "properties");
            Assert.Equal("'ServicePrincipal'", properties["principalType"]);
            Assert.StartsWith("guid(", keys["name"], StringComparison.Ordinal);
            var roleExpression = properties["roleDefinitionId"];
            var roleVariable = RoleVariable().Match(roleExpression).Groups["name"].Value;
            var role = file.Variables.TryGetValue(roleVariable, out var value) ? Unquote(value) : roleVariable;
            granted.Add((Path.GetFileName(file.Path), role, keys["scope"]));
        }

        Assert.Equal(
            [
                ("aks-rbac.bicep", "roleDefinitionId", "cluster"),
                ("keyvault.bicep", KeyVaultSecretsUser, "vault"),
                ("storage.bicep", StorageQueueDataContributor, "account"),
                ("storage.bicep", StorageBlobDataOwner, "account"),
            ],
            granted.Order());

        var main = Template("main.bicep");
        var aksRoles = main.Keys(main.Text.IndexOf('{', main.Text.IndexOf("var aksRoleDefinitionIds", StringComparison.Ordinal)));
        Assert.Equal(
            [("Admin", AksRbacAdmin), ("ClusterAdmin", AksRbacClusterAdmin), ("Writer", AksRbacWriter)],
            aksRoles.Select(r => (r.Key, Unquote(r.Value))).Order());
        Assert.Contains("roleDefinitionId: aksRoleDefinitionIds[aksRole]", main.Text, StringComparison.Ordinal);

        // No other role or GUID literal hides anywhere in the templates.
        string[] allowed = [StorageBlobDataOwner, StorageQueueDataContributor, KeyVaultSecretsUser, AksRbacClusterAdmin, AksRbacAdmin, AksRbacWriter];
        var guids = Files.Value.SelectMany(f => GuidLiteral().Matches(f.Text).Select(m => m.Value)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Empty(guids.Except(allowed, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void FunctionApp_RunsTheCustomHandlerOnLinux_FlexByDefault()
    {
        var functionApp = Template("modules/functionapp.bicep");
        var main = Template("main.bicep");

        Assert.Equal("plan == 'FlexConsumption'", functionApp.Variables["isFlex"]);
        Assert.True(main.Parameters["plan"].HasDefault);
        Assert.Contains("param plan string = 'FlexConsumption'", main.Text, StringComparison.Ordinal);
        var site = functionApp.Resources.Single(r => r.Symbol == "site");
        Assert.Equal("'functionapp,linux'", functionApp.Keys(site)["kind"]);
        Assert.Contains("name: 'custom'", site.Body, StringComparison.Ordinal);
        Assert.Contains("type: 'UserAssignedIdentity'", site.Body, StringComparison.Ordinal);
        var premium = SettingsIn(functionApp, "premiumSettings");
        Assert.Equal("'custom'", premium["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("'~4'", premium["FUNCTIONS_EXTENSION_VERSION"]);
        Assert.Contains("'@Microsoft.KeyVault", functionApp.Variables["ferrySettings"], StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_InTheBuildOutput_AreTheFunctionsTheCodeServes()
    {
        var served = typeof(FunctionNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        var listed = Metadata().Select(f => (string)f!["name"]!).Order(StringComparer.Ordinal);

        Assert.Equal(served, listed);
        Assert.True(IOFile.Exists(Path.Combine(RepoPaths.FunctionsOutput, "host.json")));
    }

    private static BicepFile Template(string relative) =>
        Files.Value.Single(f => f.Path == Path.GetFullPath(Path.Combine(InfraDirectory, relative)));

    /// <summary>Every app setting the Function App gets, name → value expression, from the module's <c>*Settings</c> arrays.</summary>
    private static Dictionary<string, string> TemplateSettings()
    {
        var functionApp = Template("modules/functionapp.bicep");
        var names = functionApp.Variables.Keys.Where(k => k.EndsWith("Settings", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ferrySettings", "premiumSettings"], names.Order(StringComparer.Ordinal));
        return names.SelectMany(n => SettingsIn(functionApp, n)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static Dictionary<string, string> SettingsIn(BicepFile file, string variable)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var open in file.ArrayObjects(file.VariableOpen(variable)))
        {
            var keys = file.Keys(open);
            Assert.True(settings.TryAdd(Unquote(keys["name"]), keys["value"]), $"app setting {keys["name"]} appears twice in {variable}");
        }

        return settings;
    }

    private static string ConnectionOf(string function) => (string)Binding(function)["connection"]!;

    // The Worker SDK writes functions.metadata into the build output; the trigger is each function's first binding.
    private static JsonNode Binding(string function) =>
        Metadata().Single(f => (string?)f!["name"] == function)!["bindings"]![0]!;

    private static JsonArray Metadata() =>
        JsonNode.Parse(IOFile.ReadAllText(Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata")))!.AsArray();

    private static string Unquote(string text) => text.Trim().Trim('\'');

    [GeneratedRegex(@"loadTextContent\('(?<path>[^']+)'\)")]
    private static partial Regex LoadTextContent();

    [GeneratedRegex("\"(?<name>FERRY_[A-Z0-9_]+|APPLICATIONINSIGHTS_[A-Z0-9_]+|AzureWebJobs[A-Za-z0-9_]+|KUBECONFIG_FILE|FUNCTIONS_[A-Z0-9_]+|WEBSITE_[A-Z0-9_]+)\"")]
    private static partial Regex SettingLiteral();

    [GeneratedRegex("(?:\\bget|GetEnvironmentVariable)\\(\"(?<name>[A-Za-z0-9_]+)\"\\)")]
    private static partial Regex SettingRead();

    [GeneratedRegex(@"'(?<name>[0-9a-f-]{36})'|(?<name>\w+)\s*\)\s*$")]
    private static partial Regex RoleVariable();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidLiteral();
}
