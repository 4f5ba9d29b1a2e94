using System.Text.Json.Nodes;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Infra;

/// <summary><c>infra/main.bicep</c> compiled once per test run by the real Bicep CLI, with what the compiler printed.</summary>
internal sealed class CompiledTemplate
{
    private static readonly Lazy<Task<CompiledTemplate>> Main = new(() => BuildAsync(MainBicep, CancellationToken.None));

    private CompiledTemplate(int exitCode, string json, string diagnostics)
    {
        ExitCode = exitCode;
        Json = json;
        Diagnostics = diagnostics;
    }

    /// <summary>The path of <c>infra/main.bicep</c>.</summary>
    public static string MainBicep => Path.Combine(RepoPaths.Root, "infra", "main.bicep");

    /// <summary>The compiler's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>The ARM template JSON the compiler wrote.</summary>
    public string Json { get; }

    /// <summary>Errors and warnings the compiler printed (standard error).</summary>
    public string Diagnostics { get; }

    /// <summary>The compiled <c>infra/main.bicep</c>.</summary>
    public static Task<CompiledTemplate> MainAsync() => Main.Value;

    /// <summary>Compiles a Bicep file to ARM JSON on standard output.</summary>
    public static async Task<CompiledTemplate> BuildAsync(string bicepFile, CancellationToken cancellationToken)
    {
        var (exitCode, stdout, stderr) = await BicepCli.RunAsync(["build", bicepFile, "--stdout"], cancellationToken);
        return new CompiledTemplate(exitCode, stdout, stderr);
    }

    /// <summary>The main template evaluated with these parameters (and the defaults of the rest).</summary>
    public ArmDeployment Deploy(params (string Name, JsonNode? Value)[] parameters)
    {
        Assert.True(ExitCode == 0, $"bicep build failed:\n{Diagnostics}");
        var template = JsonNode.Parse(Json)!.AsObject();
        Assert.Equal("2.0", (string?)template["languageVersion"]);
        return new ArmDeployment(template, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase));
    }
}
