using Ferry.Core.Apps;
using Ferry.Core.Health;

namespace Ferry.Core.Tests.Apps;

public sealed class ResourceCustomizationsLoaderTests
{
    private const string Healthy = "return {status = \"Healthy\"}";

    [Fact]
    public void Load_ArgoConfigMap_ReadsEveryFormOfHealthKey()
    {
        var (customizations, warnings) = ResourceCustomizationsLoader.Load("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
              namespace: argocd
            data:
              resource.customizations.health.cert-manager.io_Certificate: |
                return {status = "Healthy"}
              resource.customizations.health.Service: |
                return {status = "Degraded"}
              resource.customizations.health.ec2.aws.crossplane.io_*: |
                return {status = "Suspended"}
              resource.customizations: |
                argoproj.io/Rollout:
                  health.lua: |
                    return {status = "Progressing"}
            """, "argocd-cm.yaml");

        Assert.Empty(warnings);
        Assert.Equal(["Service", "argoproj.io/Rollout", "cert-manager.io/Certificate", "ec2.aws.crossplane.io/*"], customizations.HealthScripts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("argocd-cm.yaml", customizations.Source);
    }

    [Fact]
    public void Load_KeysFerryDoesNotUse_AreWarningsWithLines()
    {
        var (_, warnings) = ResourceCustomizationsLoader.Load("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            data:
              url: https://argo.example.com
              resource.customizations.ignoreDifferences.apps_Deployment: |
                jsonPointers: [/spec/replicas]
              resource.customizations.useOpenLibs.cert-manager.io_Certificate: "true"
              resource.customizations: |
                example.com/Widget:
                  actions: "{}"
            """, "cm.yaml");

        Assert.Equal(
        [
            "cm.yaml:10: data.resource.customizations.example.com/Widget.actions: not supported by Ferry (only health.lua is); ignored",
            "cm.yaml:7: data.resource.customizations.ignoreDifferences.apps_Deployment: not supported by Ferry (only health customizations are); ignored",
            "cm.yaml:9: data.resource.customizations.useOpenLibs.cert-manager.io_Certificate: ignored: Ferry never gives health scripts the os or io libraries",
            "cm.yaml:6: data.url: an Argo CD server setting Ferry does not use; ignored",
        ], warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Load_LuaSyntaxError_NamesFileLineAndKey()
    {
        var ex = Assert.Throws<AppValidationException>(() => ResourceCustomizationsLoader.Load("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            data:
              resource.customizations.health.example.com_Widget: |
                hs = {}
                if obj.status then
                  hs.status = "Healthy"
                return hs
            """, "cm.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("cm.yaml", error.File);
        Assert.Equal(10, error.Line);
        Assert.Equal("data.resource.customizations.health.example.com_Widget", error.Field);
        Assert.StartsWith("Lua syntax error: resource.customizations.health.example.com_Widget:4: 'end' expected", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resource.customizations.health.a_b_c: x", "cm.yaml:6: data.resource.customizations.health.a_b_c: expected resource.customizations.health.<group>_<kind> (or .<kind> for the core group)")]
    [InlineData("resource.customizations.health.example.com_Widget: {status: Healthy}", "cm.yaml:6: data.resource.customizations.health.example.com_Widget: must be a string, not a mapping")]
    [InlineData("resource.customizations: \"example.com/Widget: [1]\"", "cm.yaml:6: data.resource.customizations.example.com/Widget: must be a mapping (health.lua, …)")]
    public void Load_MalformedEntry_FailsNamingTheField(string entry, string expected)
    {
        var ex = Assert.Throws<AppValidationException>(() => ResourceCustomizationsLoader.Load($"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            data:
              {entry}
            """, "cm.yaml"));

        Assert.Equal(expected, Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Load_NoArgoConfigMap_FailsSayingWhatIsExpected()
    {
        var ex = Assert.Throws<AppValidationException>(() => ResourceCustomizationsLoader.Load("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: something-else
            """, "cm.yaml"));

        Assert.Equal("cm.yaml:1: expected exactly one ConfigMap named argocd-cm (apiVersion v1), found 0", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public async Task LoadAsync_MissingFile_FailsNamingIt()
    {
        var ex = await Assert.ThrowsAsync<AppValidationException>(() => ResourceCustomizationsLoader.LoadAsync("/nonexistent/argocd-cm.yaml", CancellationToken.None));

        Assert.StartsWith("/nonexistent/argocd-cm.yaml:0: cannot read the resource customizations file:", Assert.Single(ex.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_ArgoConfigMapAmongApps_CarriesItsScripts()
    {
        var catalog = new ApplicationCatalogLoader().Load([("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            data:
              resource.customizations.health.example.com_Widget: |
                return {status = "Healthy"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: unrelated
            data:
              resource.customizations.health.Service: nonsense
            """, "apps.yaml")]);

        Assert.Equal(["example.com/Widget"], catalog.ResourceCustomizations.HealthScripts.Keys);
    }

    [Fact]
    public void Catalog_TwoArgoConfigMaps_FailNamingTheSecond()
    {
        const string cm = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            """;

        var ex = Assert.Throws<AppValidationException>(() => new ApplicationCatalogLoader().Load([(cm, "a.yaml"), (cm, "b.yaml")]));

        Assert.Equal("b.yaml:1: metadata.name: duplicate ConfigMap name 'argocd-cm' (first defined at a.yaml:1)", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Merge_SameKey_OverrideWins()
    {
        var settings = new ResourceCustomizations { HealthScripts = new Dictionary<string, string> { ["Service"] = "a", ["Pod"] = "b" } };
        var catalog = new ResourceCustomizations { HealthScripts = new Dictionary<string, string> { ["Service"] = Healthy } };

        var merged = settings.Merge(catalog);

        Assert.Equal(Healthy, merged.HealthScripts["Service"]);
        Assert.Equal("b", merged.HealthScripts["Pod"]);
    }
}
