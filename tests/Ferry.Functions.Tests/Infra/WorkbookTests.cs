using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Functions.Telemetry;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Infra;

/// <summary>The portal workbook's Kusto queries use exactly the event, metric and dimension names the telemetry code emits.</summary>
public sealed partial class WorkbookTests
{
    private static readonly Lazy<JsonObject> Workbook = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "workbook.json")))!.AsObject());

    private static IReadOnlyList<(string Name, string Query)> Queries =>
        [.. Workbook.Value["items"]!.AsArray()
            .Where(i => (int?)i!["type"] == 3)
            .Select(i => ((string)i!["name"]!, (string)i["content"]!["query"]!))];

    [Fact]
    public void Workbook_IsANotebookOfApplicationInsightsQueriesOverTheTimeRange()
    {
        Assert.Equal("Notebook/1.0", (string?)Workbook.Value["version"]);
        var items = Workbook.Value["items"]!.AsArray();
        var parameters = items.Single(i => (int?)i!["type"] == 9)!["content"]!["parameters"]!.AsArray();
        Assert.Contains(parameters, p => (string?)p!["name"] == "TimeRange");
        Assert.All(items.Where(i => (int?)i!["type"] == 3), i =>
        {
            Assert.Equal("KqlItem/1.0", (string?)i!["content"]!["version"]);
            Assert.Equal("TimeRange", (string?)i["content"]!["timeContextFromParameter"]);
            Assert.Equal("microsoft.insights/components", (string?)i["content"]!["resourceType"]);
        });
        Assert.Equal(Queries.Count, Queries.Select(q => q.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Queries_CustomDimensions_AreOnesTheCodeEmits()
    {
        var emitted = Constants(typeof(TelemetryDimensions));
        var used = Queries.SelectMany(q => Dimension().Matches(q.Query).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Except(emitted));
        Assert.Superset(new HashSet<string>([TelemetryDimensions.App, TelemetryDimensions.SyncStatus, TelemetryDimensions.Health, TelemetryDimensions.Revision, TelemetryDimensions.Message], StringComparer.Ordinal), used);
        Assert.Equal(emitted.Order(StringComparer.Ordinal), TelemetryDimensions.All.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Queries_EventAndMetricNames_AreOnesTheCodeEmits_AndEveryOneIsShown()
    {
        var events = new HashSet<string>(StringComparer.Ordinal);
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, query) in Queries)
        {
            var literals = NameFilter().Matches(query).SelectMany(m => Quoted().Matches(m.Groups["values"].Value).Select(v => v.Groups[1].Value)).ToList();
            var onEvents = query.Contains("customEvents", StringComparison.Ordinal);
            var onMetrics = query.Contains("customMetrics", StringComparison.Ordinal);
            Assert.False(onEvents && onMetrics, $"{name} mixes customEvents and customMetrics");
            if (onEvents || onMetrics)
            {
                Assert.NotEmpty(literals);
            }

            (onMetrics ? metrics : events).UnionWith(literals);
        }

        Assert.Equal(TelemetryNames.Events.Order(StringComparer.Ordinal), events.Order(StringComparer.Ordinal));
        Assert.Equal(TelemetryNames.Metrics.Order(StringComparer.Ordinal), metrics.Order(StringComparer.Ordinal));
        Assert.Empty(Queries.SelectMany(q => Measurement().Matches(q.Query).Select(m => m.Groups["name"].Value)).Except(TelemetryNames.Metrics));
        var dependencyTypes = Queries.SelectMany(q => DependencyTypeFilter().Matches(q.Query).SelectMany(m => Quoted().Matches(m.Groups["values"].Value).Select(v => v.Groups[1].Value))).ToHashSet(StringComparer.Ordinal);
        Assert.Equal([TelemetryNames.GitDependency, TelemetryNames.KubernetesDependency], dependencyTypes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Queries_CoverTheIssuesViews()
    {
        var byName = Queries.ToDictionary(q => q.Name, q => q.Query, StringComparer.Ordinal);

        Assert.Contains("arg_max(timestamp", byName["apps"], StringComparison.Ordinal);
        Assert.Contains(TelemetryNames.SyncDurationMs, byName["sync-duration"], StringComparison.Ordinal);
        Assert.Contains(TelemetryNames.SyncFailed, byName["failures"], StringComparison.Ordinal);
        Assert.Contains("customDimensions.message", byName["failures"], StringComparison.Ordinal);
        Assert.Contains("join kind=inner webhooks on operation_Id", byName["webhook-latency"], StringComparison.Ordinal);
        Assert.Contains(TelemetryNames.WebhookReceived, byName["webhook-latency"], StringComparison.Ordinal);
        Assert.Contains(TelemetryNames.DriftDetected, byName["drift"], StringComparison.Ordinal);
    }

    private static HashSet<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"customDimensions(?:\.(?<name>\w+)|\[""(?<name>\w+)""\])")]
    private static partial Regex Dimension();

    [GeneratedRegex(@"customMeasurements(?:\.(?<name>\w+)|\[""(?<name>\w+)""\])")]
    private static partial Regex Measurement();

    [GeneratedRegex(@"\bname\s*(?:==\s*(?<values>""[^""]*"")|in\s*\((?<values>[^)]*)\))")]
    private static partial Regex NameFilter();

    [GeneratedRegex(@"\btype\s*(?:==\s*(?<values>""[^""]*"")|in\s*\((?<values>[^)]*)\))")]
    private static partial Regex DependencyTypeFilter();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex Quoted();
}
