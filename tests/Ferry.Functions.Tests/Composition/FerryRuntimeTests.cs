using Ferry.Core.Apps;
using Ferry.Functions.Composition;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Composition;

public sealed class FerryRuntimeTests
{
    [Fact]
    public async Task CreateAsync_ResourceCustomizationsSetting_FileIsReadAndCheckedAtStart()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "argocd-cm.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: argocd-cm
            data:
              resource.customizations.health.example.com_Widget: |
                hs = {
                return hs
            """);
        var settings = FerrySettings.FromEnvironment(name => name switch
        {
            AppSettingNames.ResourceCustomizations => file,
            AppSettingNames.Apps => temp.Path,
            AppSettingNames.State => Path.Combine(temp.Path, "state"),
            _ => null,
        });

        var ex = await Assert.ThrowsAsync<AppValidationException>(() => FerryRuntime.CreateAsync(settings, CancellationToken.None));

        Assert.StartsWith($"{file}:8: data.resource.customizations.health.example.com_Widget: Lua syntax error:", Assert.Single(ex.Errors).ToString(), StringComparison.Ordinal);
    }
}
