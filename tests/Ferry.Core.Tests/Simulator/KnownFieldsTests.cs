using System.Text.Json.Nodes;
using Ferry.Core.Tests.TestSupport;
using Ferry.Simulator.Validation;

namespace Ferry.Core.Tests.Simulator;

public sealed class KnownFieldsTests
{
    [Fact]
    public void Types_EveryTableType_DeclaresExactlyTheRecordedSchemaProperties()
    {
        var definitions = JsonNode.Parse(File.ReadAllText(SharedFixtures.Path("kube", "openapi-v2.json")))!["definitions"]!;

        foreach (var (type, fields) in KnownFields.Types)
        {
            var expected = definitions[type]?["properties"]?.AsObject().Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
            Assert.True(expected is not null, $"{type} is not in the recorded schema");
            Assert.Equal(expected, fields.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList());
        }
    }
}
