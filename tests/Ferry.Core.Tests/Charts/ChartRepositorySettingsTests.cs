using Ferry.Core.Charts;

namespace Ferry.Core.Tests.Charts;

public sealed class ChartRepositorySettingsTests
{
    private static readonly Dictionary<string, string> Env = new(StringComparer.Ordinal) { ["CHARTS_PASSWORD"] = "pa55", ["REG_USER"] = "robot" };

    [Fact]
    public void Parse_EntriesWithEnvironmentSecrets_FindsTheLongestPrefix()
    {
        var settings = ChartRepositorySettings.Parse("""
            repositories:
            - url: https://charts.example.com
              username: reader
              passwordFromEnv: CHARTS_PASSWORD
            - url: oci://registry.example.com
              usernameFromEnv: REG_USER
              password: registry-token
            - url: registry.example.com/team
              insecureOCIForceHttp: true
            """, "repos.yaml", Env.GetValueOrDefault);

        var charts = settings.Find("https://charts.example.com/")!;
        Assert.Equal(("reader", "pa55"), (charts.Username, charts.Password));
        Assert.Equal("robot", settings.Find("oci://registry.example.com/other/nginx")!.Username);
        Assert.True(settings.Find("oci://REGISTRY.example.com/team/nginx")!.PlainHttp);
        Assert.False(settings.Find("registry.example.com/other")!.PlainHttp);
        Assert.Null(settings.Find("http://charts.example.com"));
        Assert.Null(settings.Find("https://charts.example.com.evil.test"));
    }

    [Theory]
    [InlineData("unknown field", "repositories:\n- url: https://x\n  pasword: y\n", "repos.yaml: repositories[0].pasword: unknown field")]
    [InlineData("missing url", "repositories:\n- username: y\n", "repos.yaml: repositories[0].url: required")]
    [InlineData("unset variable", "repositories:\n- url: https://x\n  passwordFromEnv: NOPE\n", "repositories[0].passwordFromEnv: the environment variable NOPE is not set")]
    [InlineData("not a list", "repositories: {url: x}\n", "repos.yaml: repositories: expected a list")]
    public void Parse_BadFile_NamesFileAndField(string name, string yaml, string expected)
    {
        Assert.NotNull(name);
        var ex = Assert.Throws<FormatException>(() => ChartRepositorySettings.Parse(yaml, "repos.yaml", Env.GetValueOrDefault));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
