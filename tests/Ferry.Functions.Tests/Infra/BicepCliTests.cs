using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Infra;

/// <summary>The real Bicep CLI compiles and lints <c>infra/</c> without a single diagnostic.</summary>
public sealed class BicepCliTests
{
    [Fact]
    public async Task Build_MainTemplate_CompilesWithoutAWarning()
    {
        var compiled = await CompiledTemplate.MainAsync();

        Assert.True(compiled.ExitCode == 0, $"bicep build failed:\n{compiled.Diagnostics}");
        Assert.True(compiled.Diagnostics.Length == 0, $"bicep build printed diagnostics:\n{compiled.Diagnostics}");
        var deployment = compiled.Deploy(("appsRepo", "https://github.com/acme/apps.git"), ("authClientId", "00000000-0000-0000-0000-0000000000a1"));
        Assert.StartsWith("0.49.2.", (string?)deployment.Template["metadata"]!["_generator"]!["version"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_MainTemplate_ReportsNothing()
    {
        var (exitCode, stdout, stderr) = await BicepCli.RunAsync(["lint", CompiledTemplate.MainBicep], CancellationToken.None);

        Assert.True(exitCode == 0 && stdout.Length == 0 && stderr.Length == 0, $"bicep lint (exit {exitCode}):\n{stdout}{stderr}");
    }

    [Fact]
    public async Task Lint_TheRepositoryRules_ReportAnUnusedParameterAndAnUntypedObject()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(RepoPaths.Root, "infra", "bicepconfig.json"), Path.Combine(dir.Path, "bicepconfig.json"));
        var file = Path.Combine(dir.Path, "bad.bicep");
        await File.WriteAllTextAsync(file, "param unused object = {}\n");

        var (exitCode, _, stderr) = await BicepCli.RunAsync(["lint", file], CancellationToken.None);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("bad.bicep(1,7) : Error no-unused-params", stderr, StringComparison.Ordinal);
        Assert.Contains("Error use-user-defined-types", stderr, StringComparison.Ordinal);
    }
}
