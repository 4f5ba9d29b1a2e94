using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Yaml;

public sealed class YamlReaderTests
{
    [Theory]
    [InlineData("plain-int", "a: 1", "{\"a\":1}")]
    [InlineData("quoted-int", "a: \"1\"", "{\"a\":\"1\"}")]
    [InlineData("bool", "a: true", "{\"a\":true}")]
    [InlineData("yaml11-yes-is-string", "a: yes", "{\"a\":\"yes\"}")]
    [InlineData("null", "a: ~", "{\"a\":null}")]
    [InlineData("float", "a: 1.5", "{\"a\":1.5}")]
    [InlineData("version-string", "a: 1.2.3", "{\"a\":\"1.2.3\"}")]
    [InlineData("json", "{\"a\": [1, \"x\"]}", "{\"a\":[1,\"x\"]}")]
    [InlineData("tagged-str", "a: !!str 5", "{\"a\":\"5\"}")]
    [InlineData("uint64", "a: 12345678901234567890", "{\"a\":12345678901234567890}")]
    public void ReadOne_Scalars_ResolveLikeKubernetes(string name, string yaml, string json)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(json, YamlReader.ReadOne(yaml, "t.yaml")!.ToJsonString());
    }

    [Fact]
    public void ReadAll_MultiDocument_SkipsEmptyAndKeepsLines()
    {
        var docs = YamlReader.ReadAll("---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n", "m.yaml");
        Assert.Equal(2, docs.Count);
        Assert.Equal(2, docs[0].Line);
        Assert.Equal(7, docs[1].Line);
    }

    [Fact]
    public void ReadAll_Malformed_ThrowsWithFileAndLine()
    {
        var ex = Assert.Throws<YamlFormatException>(() => YamlReader.ReadAll("a: 1\nb: [unclosed\nc: 2\n", "bad.yaml"));
        Assert.Equal("bad.yaml", ex.File);
        Assert.True(ex.Line >= 2, $"line {ex.Line}");
    }

    [Fact]
    public void ReadAll_DuplicateKey_Throws()
    {
        var ex = Assert.Throws<YamlFormatException>(() => YamlReader.ReadAll("a: 1\na: 2\n", "dup.yaml"));
        Assert.Equal(2, ex.Line);
    }

    [Theory]
    [InlineData(YamlDuplicateKeys.LastWins, "{\"a\":{\"y\":2},\"b\":3}")]
    [InlineData(YamlDuplicateKeys.FirstWins, "{\"a\":{\"x\":1},\"b\":3}")]
    public void ReadAll_DuplicateKeyOption_KeepsOneValue(YamlDuplicateKeys mode, string json)
    {
        var docs = YamlReader.ReadAll("a:\n  x: 1\nb: 3\na:\n  y: 2\n", "dup.yaml", mode);
        Assert.Equal(json, docs[0].Root!.ToJsonString());
    }

    [Fact]
    public void ReadAll_AnchorsAndMergeKeys_Expand()
    {
        var doc = YamlReader.ReadOne("base: &b\n  x: 1\n  y: 2\nderived:\n  <<: *b\n  y: 3\ncopy: *b\n", "a.yaml");
        Assert.Equal("{\"base\":{\"x\":1,\"y\":2},\"derived\":{\"x\":1,\"y\":3},\"copy\":{\"x\":1,\"y\":2}}", doc!.ToJsonString());
    }

    [Fact]
    public void Write_RoundTrips_KustomizeStyle()
    {
        const string yaml = """
            apiVersion: v1
            data:
              multi: |
                line one
                line two
              number: "42"
              yes: "yes"
            kind: ConfigMap
            metadata:
              labels:
                app: web
              name: cm
            spec:
              list:
              - a: 1
                b: 2
              - plain
              - ""
              empty: {}

            """;
        var node = YamlReader.ReadOne(yaml.Replace("\n\n", "\n"), "t.yaml");
        var written = YamlWriter.Write(node);
        var reread = YamlReader.ReadOne(written, "w.yaml");
        Assert.True(JsonNode.DeepEquals(node, reread), written);
        Assert.Contains("- a: 1\n    b: 2\n", written);
        Assert.Contains("number: \"42\"", written);
        Assert.Contains("multi: |\n    line one\n    line two\n", written);
    }
}
