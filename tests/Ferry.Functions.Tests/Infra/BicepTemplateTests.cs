using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Functions.Composition;
using Ferry.Functions.Hosting;
using Ferry.Functions.Tests.TestSupport;
using IOFile = System.IO.File;

namespace Ferry.Functions.Tests.Infra;

/// <summary>
/// <c>infra/main.bicep</c> as the Bicep CLI compiles it, evaluated for each plan and option, held to the code: the functions
/// the build produces, the settings the code reads, the queue and container names, the runtime and the sign-in rules.
/// </summary>
public sealed partial class BicepTemplateTests
{
    // Built-in role definition ids Ferry's identity may hold; anything else (Owner, Contributor, account keys) is a finding.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string AksRbacClusterAdmin = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b";
    private const string AksRbacAdmin = "3498e952-d568-435e-9b2c-8d77e338d7f7";
    private const string AksRbacWriter = "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb";

    private const string AuthClientId = "00000000-0000-0000-0000-0000000000a1";
    private const string AuthSecretSetting = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET";

    /// <summary>Settings the platform reads, not Ferry: each with the plans it belongs to and why.</summary>
    private static readonly Dictionary<string, string[]> PlatformSettings = new(StringComparer.Ordinal)
    {
        ["AZURE_CLIENT_ID"] = ["FlexConsumption", "Premium"], // Azure.Identity picks the user-assigned identity by it.
        [AuthSecretSetting] = ["FlexConsumption", "Premium"], // App Service Authentication's client secret.
        ["FUNCTIONS_EXTENSION_VERSION"] = ["Premium"], // Flex Consumption refuses it.
        ["FUNCTIONS_WORKER_RUNTIME"] = ["Premium"], // Flex Consumption takes functionAppConfig.runtime instead.
        ["WEBSITE_RUN_FROM_PACKAGE"] = ["Premium"], // Flex Consumption deploys from functionAppConfig.deployment.
        ["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"] = ["Premium"],
    };

    public static TheoryData<string> Plans() => new("FlexConsumption", "Premium");

    [Fact]
    public async Task FunctionApp_FlexConsumption_RunsDotnetIsolated10FromTheDeploymentContainer()
    {
        var (main, app) = await DeployAsync();
        var site = app.Resource("site");
        var config = site["properties"]!["functionAppConfig"]!;

        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["name"] = "dotnet-isolated", ["version"] = "10.0" }, config["runtime"]), config["runtime"]!.ToJsonString());
        Assert.Null(site["properties"]!["siteConfig"]!["linuxFxVersion"]);
        Assert.Equal("FC1", (string?)app.Resource("hostingPlan")["sku"]!["name"]);

        // The package comes from the storage module's deployment container, read with the app's identity.
        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal(StorageOutput(main, "deploymentContainerUrl"), (string?)storage["value"]);
        // The blob endpoint ends in a slash (https://<account>.blob.core.windows.net/).
        Assert.EndsWith(".primaryEndpoints.blob⟩" + StorageNames.DeploymentContainer, (string)main.Module("storage").Output("deploymentContainerUrl")!, StringComparison.Ordinal);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal(IdentityOutput(main, "id"), (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public async Task FunctionApp_Premium_RunsDotnetIsolated10WithTheWorkerRuntimeSettings()
    {
        var (main, app) = await DeployAsync(("plan", "Premium"));
        var site = app.Resource("site");
        var settings = Settings(app);

        Assert.Null(site["properties"]!["functionAppConfig"]);
        Assert.Equal("DOTNET-ISOLATED|10.0", (string?)site["properties"]!["siteConfig"]!["linuxFxVersion"]);
        Assert.Equal("EP1", (string?)app.Resource("hostingPlan")["sku"]!["name"]);
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("~4", settings["FUNCTIONS_EXTENSION_VERSION"]);
        Assert.Equal(StorageOutput(main, "deploymentContainerUrl") + "/ferry.zip", settings["WEBSITE_RUN_FROM_PACKAGE"]);
        Assert.Equal(IdentityOutput(main, "id"), settings["WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID"]);
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public async Task AppSettings_EverySettingTheCodeReads_IsSet_AndNoOther(string plan)
    {
        var (_, app) = await DeployAsync(("plan", plan));
        var names = Settings(app).Keys.ToHashSet(StringComparer.Ordinal);
        var platform = PlatformSettings.Where(p => p.Value.Contains(plan)).Select(p => p.Key).ToList();

        Assert.Empty(AppSettingNames.Deployed.Except(names));
        Assert.Empty(AppSettingNames.StorageIdentitySettings.Except(names));
        Assert.Empty(platform.Except(names));
        Assert.Empty(AppSettingNames.NotDeployed.Intersect(names));

        // Nothing stale: every setting is one the code declares, one the platform reads, or one a trigger binds.
        var known = AppSettingNames.Deployed.Concat(AppSettingNames.StorageIdentitySettings).Concat(platform).Concat(BindingExpressionSettings());
        Assert.Empty(names.Except(known));
        Assert.DoesNotContain(names, n => n.Contains("CUSTOMHANDLER", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AppSettings_Storage_IsTheIdentityBasedConnectionTheTriggersUse()
    {
        var (main, app) = await DeployAsync();
        var settings = Settings(app);
        var queueFunctions = FunctionDefinition.ReadAll().Where(f => f.TriggerType == "queueTrigger").ToList();

        Assert.Equal([FunctionNames.SyncWorker], queueFunctions.Select(f => f.Name));
        var connection = (string)queueFunctions[0].Trigger["connection"]!;
        Assert.Equal(AppSettingNames.Storage, connection);
        Assert.Equal("managedidentity", settings[connection + "__credential"]);
        Assert.Equal(IdentityOutput(main, "clientId"), settings[connection + "__clientId"]);
        Assert.Equal(IdentityOutput(main, "clientId"), settings["AZURE_CLIENT_ID"]);
        Assert.Equal(StorageOutput(main, "blobEndpoint"), settings[connection + "__blobServiceUri"]);
        Assert.Equal(StorageOutput(main, "queueEndpoint"), settings[connection + "__queueServiceUri"]);
        Assert.DoesNotContain(settings.Keys, k => k == connection || k.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && k != AppSettingNames.ApplicationInsightsConnectionString);
        Assert.False((bool)main.Module("storage").Resource("account")["properties"]!["allowSharedKeyAccess"]!);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("token")]
    [InlineData("ssh")]
    public async Task AppSettings_Secrets_AreKeyVaultReferencesTheIdentityResolves(string gitAuth)
    {
        var (main, app) = await DeployAsync(("gitAuth", gitAuth));
        var settings = Settings(app);
        var vault = main.Module("vault");
        var references = new Dictionary<string, (string Output, string Secret)>(StringComparer.Ordinal)
        {
            [AppSettingNames.GitHubWebhookSecret] = ("webhookSecretUri", "github-webhook-secret"),
            [AuthSecretSetting] = ("authClientSecretUri", "auth-client-secret"),
        };
        if (gitAuth == "token")
        {
            references[AppSettingNames.GitToken] = ("gitTokenUri", "git-token");
        }

        if (gitAuth == "ssh")
        {
            references[AppSettingNames.GitSshPrivateKey] = ("gitSshPrivateKeyUri", "git-ssh-private-key");
        }

        // Versionless secret URIs in the template's vault, so a rotated secret needs no redeploy.
        foreach (var (setting, (output, secret)) in references)
        {
            Assert.Equal($"@Microsoft.KeyVault(SecretUri={ModuleOutput(main, "vault", output)})", settings[setting]);
            Assert.Equal($"⟨reference(vault).vaultUri⟩secrets/{secret}", (string?)vault.Output(output));
        }

        Assert.DoesNotContain(AppSettingNames.Secrets.Except(references.Keys), name => settings[name].Length > 0);
        Assert.All(settings.Where(s => !references.ContainsKey(s.Key)), s => Assert.DoesNotContain("KeyVault", s.Value, StringComparison.Ordinal));
        Assert.Equal(IdentityOutput(main, "id"), (string?)app.Resource("site")["properties"]!["keyVaultReferenceIdentity"]);
    }

    [Fact]
    public async Task DriftSchedule_IsEveryThreeMinutes_AndIsWhatTheTimerFiresOn()
    {
        var (_, app) = await DeployAsync();
        var (_, changed) = await DeployAsync(("driftSchedule", "*/10 * * * * *"));
        var timer = Assert.Single(FunctionDefinition.ReadAll(), f => f.TriggerType == "timerTrigger");

        Assert.Equal(FunctionNames.DriftCheck, timer.Name);
        Assert.Equal($"%{AppSettingNames.DriftSchedule}%", (string?)timer.Trigger["schedule"]);
        Assert.Equal("0 */3 * * * *", Settings(app)[AppSettingNames.DriftSchedule]);
        Assert.Equal("*/10 * * * * *", Settings(changed)[AppSettingNames.DriftSchedule]);
    }

    [Fact]
    public async Task Storage_QueuesAndContainers_AreTheCodesNames()
    {
        var (main, _) = await DeployAsync();
        var storage = main.Module("storage");
        string[] NamesOf(string type) =>
            [.. storage.SymbolsOfType(type).Select(s => ((string)storage.Resource(s)["name"]!).Split('/')[^1]).Order(StringComparer.Ordinal)];

        Assert.Equal([StorageNames.JobsQueue, StorageNames.PoisonQueue], NamesOf("Microsoft.Storage/storageAccounts/queueServices/queues"));
        Assert.Equal([StorageNames.DeploymentContainer, StorageNames.StatusContainer], NamesOf("Microsoft.Storage/storageAccounts/blobServices/containers"));
        var worker = Assert.Single(FunctionDefinition.ReadAll(), f => f.TriggerType == "queueTrigger");
        Assert.Equal(StorageNames.JobsQueue, (string?)worker.Trigger["queueName"]);
        Assert.Equal(StorageNames.JobsQueue + "-poison", StorageNames.PoisonQueue);
        var host = JsonNode.Parse(IOFile.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;
        Assert.Equal(StorageNames.QueueOptions.MaxDequeueCount, (int?)host["extensions"]!["queues"]!["maxDequeueCount"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Auth_PageAndApiNeedAnEntraLogin_OnlyTheWebhookAndPublicBadgesDoNot(bool publicBadges)
    {
        var (main, app) = await DeployAsync(("publicBadges", publicBadges), ("authTenantId", "tenant-1"));
        var auth = app.Resource(Assert.Single(app.SymbolsOfType("Microsoft.Web/sites/config")));
        var properties = auth["properties"]!;
        var validation = properties["globalValidation"]!;
        var aad = properties["identityProviders"]!["azureActiveDirectory"]!;
        var excluded = validation["excludedPaths"]!.AsArray().Select(p => (string)p!).ToList();

        Assert.Equal((string)app.Resource("site")["name"]! + "/authsettingsV2", (string?)auth["name"]);
        Assert.True((bool)properties["platform"]!["enabled"]!);
        Assert.True((bool)validation["requireAuthentication"]!);
        Assert.Equal("RedirectToLoginPage", (string?)validation["unauthenticatedClientAction"]);
        Assert.True((bool)properties["httpSettings"]!["requireHttps"]!);
        Assert.True((bool)aad["enabled"]!);
        Assert.Equal(AuthClientId, (string?)aad["registration"]!["clientId"]);
        Assert.Matches(@"^⟨environment\(\)\.authentication\.loginEndpoint⟩tenant-1/v2\.0$", (string)aad["registration"]!["openIdIssuer"]!);
        Assert.Equal(AuthSecretSetting, (string?)aad["registration"]!["clientSecretSettingName"]);
        Assert.Contains("api://" + AuthClientId, aad["validation"]!["allowedAudiences"]!.AsArray().Select(a => (string)a!));

        // Each anonymous path is the route of exactly the function meant to be public; every other HTTP function needs a login.
        var http = FunctionDefinition.ReadAll().Where(f => f.TriggerType == "httpTrigger").ToList();
        var anonymous = http.Where(f => excluded.Any(p => Covers(p, (string)f.Trigger["route"]!))).Select(f => f.Name).Order(StringComparer.Ordinal);
        Assert.Equal(publicBadges ? [FunctionNames.Badge, FunctionNames.GitHubWebhook] : [FunctionNames.GitHubWebhook], anonymous);
        Assert.All(excluded, p => Assert.Single(http, f => Covers(p, (string)f.Trigger["route"]!)));
        Assert.Equal(publicBadges ? ["/api/github", "/api/badge/*"] : ["/api/github"], excluded);
        Assert.EndsWith("/.auth/login/aad/callback", (string)main.Output("authRedirectUri")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Functions_TheBuildOutputsFunctions_AreTheOnesTheTemplateServes()
    {
        var (main, _) = await DeployAsync();
        var declared = typeof(FunctionNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && !f.Name.EndsWith("Binding", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);
        var functions = FunctionDefinition.ReadAll();
        var webhook = functions.Single(f => f.Name == FunctionNames.GitHubWebhook);

        Assert.Equal(declared, functions.Select(f => f.Name));
        Assert.Equal(["AppAction", "Badge", "DriftCheck", "GitHubWebhook", "Resource", "ResourceTree", "Status", "StatusPage", "SyncWorker"], declared);
        Assert.EndsWith("/" + (string)webhook.Trigger["route"]!, (string)main.Output("webhookUrl")!, StringComparison.Ordinal);
        Assert.Equal(["post"], webhook.Trigger["methods"]!.AsArray().Select(m => ((string)m!).ToLowerInvariant()));
    }

    [Fact]
    public async Task Roles_AreTheLeastPrivilegeBuiltInsOnTheirOwnScopes()
    {
        var (main, _) = await DeployAsync(("aksClusterResourceIds", new JsonArray("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod")));
        var granted = new List<(string Module, string Role, string Scope)>();
        foreach (var module in main.Symbols.Where(s => s != "aksRbac"))
        {
            var deployment = main.Module(module);
            foreach (var symbol in deployment.SymbolsOfType("Microsoft.Authorization/roleAssignments"))
            {
                var assignment = deployment.Resource(symbol);
                Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
                Assert.Equal(IdentityOutput(main, "principalId"), (string?)assignment["properties"]!["principalId"]);
                granted.Add((module, RoleId((string)assignment["properties"]!["roleDefinitionId"]!), (string)assignment["scope"]!));
            }
        }

        Assert.Equal(
            [
                ("storage", StorageQueueDataContributor, "account"),
                ("storage", StorageBlobDataOwner, "account"),
                ("vault", KeyVaultSecretsUser, "vault"),
            ],
            granted.Select(g => (g.Module, g.Role, ScopeSymbol(g.Scope))).Order());

        // AKS: the role the aksRole parameter names, on the cluster only.
        foreach (var (role, id) in new[] { ("ClusterAdmin", AksRbacClusterAdmin), ("Admin", AksRbacAdmin), ("Writer", AksRbacWriter) })
        {
            var (withRole, _) = await DeployAsync(("aksRole", role), ("aksClusterResourceIds", new JsonArray("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod")));
            var aks = withRole.Module("aksRbac");
            var assignment = aks.Resource(Assert.Single(aks.SymbolsOfType("Microsoft.Authorization/roleAssignments")));
            Assert.Equal(id, RoleId((string)assignment["properties"]!["roleDefinitionId"]!));
            Assert.Equal("ServicePrincipal", (string?)assignment["properties"]!["principalType"]);
            Assert.Contains("Microsoft.ContainerService/managedClusters", (string)assignment["scope"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Workbook_IsTheNotebookInInfra()
    {
        var (main, _) = await DeployAsync();
        var workbook = main.Module("workbook").Resource("workbook");

        Assert.Equal("Notebook/1.0", (string?)workbook["properties"]!["version"]);
        Assert.Equal(IOFile.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "workbook.json")), (string?)workbook["properties"]!["serializedData"]);
    }

    [Fact]
    public void AppSettings_SettingNamesInSources_AreAllDeclaredInAppSettingNames()
    {
        var declared = typeof(AppSettingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var root in new[] { "functions", Path.Combine("src", "Core") })
        {
            foreach (var file in SourceFiles(root))
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

        found.UnionWith(BindingExpressionSettings());
        Assert.Contains(AppSettingNames.GitHubWebhookSecret, found);
        Assert.Empty(found.Except(declared));
    }

    private static async Task<(ArmDeployment Main, ArmDeployment FunctionApp)> DeployAsync(params (string Name, JsonNode? Value)[] parameters)
    {
        var compiled = await CompiledTemplate.MainAsync();
        (string, JsonNode?)[] required = [("appsRepo", "https://github.com/acme/apps.git"), ("authClientId", AuthClientId)];
        var main = compiled.Deploy([.. required.Where(r => !parameters.Any(p => p.Name == r.Item1)), .. parameters]);
        return (main, main.Module("functionApp"));
    }

    /// <summary>The app settings as name → value; a name set twice fails.</summary>
    private static Dictionary<string, string> Settings(ArmDeployment functionApp)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in functionApp.Resource("site")["properties"]!["siteConfig"]!["appSettings"]!.AsArray())
        {
            Assert.True(settings.TryAdd((string)setting!["name"]!, (string?)setting["value"] ?? string.Empty), $"app setting {setting["name"]} is set twice");
        }

        return settings;
    }

    /// <summary>Settings named by <c>%NAME%</c> binding expressions in the function definitions and the functions sources.</summary>
    private static IEnumerable<string> BindingExpressionSettings() =>
        FunctionDefinition.ReadAll().SelectMany(f => f.Bindings).SelectMany(b => b.Select(p => p.Value?.ToJsonString() ?? string.Empty))
            .Concat(SourceFiles("functions").Select(IOFile.ReadAllText))
            .SelectMany(text => BindingExpression().Matches(text).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, root), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>Whether an excluded path of App Service Authentication (exact, or a prefix ending in <c>/*</c>) covers a function route.</summary>
    private static bool Covers(string excludedPath, string route) =>
        excludedPath.EndsWith("/*", StringComparison.Ordinal)
            ? ("/" + route).StartsWith(excludedPath[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(excludedPath, "/" + route, StringComparison.OrdinalIgnoreCase);

    private static string StorageOutput(ArmDeployment main, string output) => ModuleOutput(main, "storage", output);

    private static string IdentityOutput(ArmDeployment main, string output) => ModuleOutput(main, "identity", output);

    /// <summary>What a module output is inside another module: an opaque reference to that module's output.</summary>
    private static string ModuleOutput(ArmDeployment main, string module, string output) =>
        (string)main.Evaluate(JsonValue.Create($"[reference('{module}').outputs.{output}.value]"))!;

    private static string RoleId(string roleDefinitionId) => GuidLiteral().Match(roleDefinitionId) is { Success: true } m
        ? m.Value
        : throw new InvalidOperationException($"role definition {roleDefinitionId} is not a built-in role id");

    private static string ScopeSymbol(string scope) => scope.Contains("Microsoft.KeyVault/vaults", StringComparison.Ordinal) ? "vault"
        : scope.Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal) ? "account"
        : scope;

    [GeneratedRegex("\"(?<name>FERRY_[A-Z0-9_]+|APPLICATIONINSIGHTS_[A-Z0-9_]+|AzureWebJobs[A-Za-z0-9_]+|KUBECONFIG_FILE|FUNCTIONS_[A-Z0-9_]+|WEBSITE_[A-Z0-9_]+)\"")]
    private static partial Regex SettingLiteral();

    [GeneratedRegex("(?:\\bget|GetEnvironmentVariable)\\(\"(?<name>[A-Za-z0-9_]+)\"\\)")]
    private static partial Regex SettingRead();

    [GeneratedRegex("%(?<name>[A-Za-z][A-Za-z0-9_]*)%")]
    private static partial Regex BindingExpression();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidLiteral();
}
