using Ferry.Core.Health;
using Ferry.Core.Resources;

namespace Ferry.Core.Tests.Health;

public class HealthAggregatorTests
{
    [Theory]
    [InlineData("none", "", HealthStatusCode.Healthy)]
    [InlineData("all-healthy", "Healthy,Healthy", HealthStatusCode.Healthy)]
    [InlineData("suspended-beats-healthy", "Healthy,Suspended", HealthStatusCode.Suspended)]
    [InlineData("progressing-beats-suspended", "Suspended,Progressing,Healthy", HealthStatusCode.Progressing)]
    [InlineData("missing-beats-progressing", "Progressing,Missing", HealthStatusCode.Missing)]
    [InlineData("degraded-beats-missing", "Missing,Degraded,Progressing", HealthStatusCode.Degraded)]
    [InlineData("unknown-is-worst", "Degraded,Unknown,Healthy", HealthStatusCode.Unknown)]
    public void Worst_Statuses_WorstByArgoOrder(string row, string codes, HealthStatusCode expected)
    {
        var statuses = codes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => new HealthStatus(Enum.Parse<HealthStatusCode>(c), row));

        Assert.Equal(expected, HealthAggregator.Worst(statuses).Status);
    }

    [Fact]
    public void Worst_NullsAndTies_SkipsNullsAndKeepsFirstMessage()
    {
        HealthStatus?[] statuses = [null, new(HealthStatusCode.Degraded, "first"), null, new(HealthStatusCode.Degraded, "second")];

        Assert.Equal(new HealthStatus(HealthStatusCode.Degraded, "first"), HealthAggregator.Worst(statuses));
        Assert.Equal(HealthStatus.Healthy, HealthAggregator.Worst([null, null]));
    }

    [Fact]
    public void Aggregate_DegradedResources_NamesCausesSorted()
    {
        ResourceHealth[] resources =
        [
            new(Key("apps", "Deployment", "web"), new HealthStatus(HealthStatusCode.Progressing)),
            new(Key("apps", "Deployment", "worker"), new HealthStatus(HealthStatusCode.Degraded, "deadline")),
            new(Key("", "ConfigMap", "settings"), null),
            new(Key("", "Pod", "api-0"), new HealthStatus(HealthStatusCode.Degraded)),
        ];

        var health = HealthAggregator.Aggregate(resources);

        Assert.Equal(new HealthStatus(HealthStatusCode.Degraded, "Caused by Pod:shop/api-0, apps/Deployment:shop/worker"), health);
    }

    [Fact]
    public void Aggregate_ManyCauses_ShowsThreeAndCount()
    {
        var resources = Enumerable.Range(1, 5).Select(i => new ResourceHealth(Key("apps", "Deployment", $"d{i}"), new HealthStatus(HealthStatusCode.Progressing)));

        var health = HealthAggregator.Aggregate(resources);

        Assert.Equal("Caused by apps/Deployment:shop/d1, apps/Deployment:shop/d2, apps/Deployment:shop/d3 and 2 more", health.Message);
    }

    [Theory]
    [InlineData("empty-app", "", HealthStatusCode.Healthy)]
    [InlineData("missing-ignored-when-others-live", "Deployment=Missing,Service=Healthy", HealthStatusCode.Healthy)]
    [InlineData("nothing-live-is-missing", "Deployment=Missing,Service=Missing", HealthStatusCode.Missing)]
    [InlineData("missing-and-live-degraded", "Deployment=Missing,Application=Degraded", HealthStatusCode.Degraded)]
    [InlineData("unchecked-kinds-only", "ConfigMap=,Secret=", HealthStatusCode.Healthy)]
    [InlineData("child-app-unknown-ignored", "Application=Unknown,Service=Progressing", HealthStatusCode.Progressing)]
    [InlineData("child-app-degraded-counts", "Application=Degraded,Service=Healthy", HealthStatusCode.Degraded)]
    [InlineData("pod-unknown-counts", "Pod=Unknown,Service=Healthy", HealthStatusCode.Unknown)]
    public void Aggregate_ArgoRules_Status(string row, string resources, HealthStatusCode expected)
    {
        var list = resources.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r =>
        {
            var (kind, code) = (r.Split('=')[0], r.Split('=')[1]);
            var group = kind == "Application" ? "argoproj.io" : string.Empty;
            return new ResourceHealth(Key(group, kind, row), code.Length == 0 ? null : new HealthStatus(Enum.Parse<HealthStatusCode>(code)));
        });

        Assert.Equal(expected, HealthAggregator.Aggregate(list).Status);
    }

    private static ResourceKey Key(string group, string kind, string name) => new(group, kind, "shop", name);
}
