using Ferry.Core.Charts;

namespace Ferry.Core.Tests.Charts;

public sealed class ChartLocationTests
{
    [Theory]
    [InlineData("https repository", "https://charts.example.com", "nginx", false, "", "", "nginx")]
    [InlineData("oci registry path with chart", "oci://registry.example.com/charts", "nginx", true, "registry.example.com", "charts/nginx", "nginx")]
    [InlineData("bare registry path with chart (Argo's enableOCI form)", "registry-1.docker.io/bitnamicharts", "nginx", true, "registry-1.docker.io", "bitnamicharts/nginx", "nginx")]
    [InlineData("whole oci reference", "oci://127.0.0.1:5000/team/charts/nginx", null, true, "127.0.0.1:5000", "team/charts/nginx", "nginx")]
    [InlineData("registry root with chart", "oci://ghcr.io", "nginx", true, "ghcr.io", "nginx", "nginx")]
    public void From_ArgoForms_FindRegistryRepositoryAndChart(string name, string repoUrl, string? chart, bool oci, string registry, string repository, string expectedChart)
    {
        Assert.NotNull(name);
        var location = ChartLocation.From(repoUrl, chart)!;

        Assert.Equal(oci, location.IsOci);
        Assert.Equal(registry, location.Registry);
        Assert.Equal(repository, location.Repository);
        Assert.Equal(expectedChart, location.Chart);
    }

    [Fact]
    public void From_GitRepositoryWithoutChart_IsNotAChart() =>
        Assert.Null(ChartLocation.From("https://github.com/acme/apps", null));
}
