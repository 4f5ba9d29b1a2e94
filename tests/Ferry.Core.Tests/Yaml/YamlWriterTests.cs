using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Yaml;

/// <summary>Expected texts were printed by `kubectl kustomize` (kustomize v5.5, Go yaml.v2) for a ConfigMap holding each value.</summary>
public sealed class YamlWriterTests
{
    [Theory]
    [InlineData("indicator-star", "*", "k: '*'\n")]
    [InlineData("single-quote", "'", "k: ''''\n")]
    [InlineData("yaml11-bool-word", "yes", "k: \"yes\"\n")]
    [InlineData("timestamp", "2024-01-02", "k: \"2024-01-02\"\n")]
    [InlineData("octal", "0777", "k: \"0777\"\n")]
    [InlineData("sexagesimal", "1:20", "k: \"1:20\"\n")]
    [InlineData("merge-key-is-plain", "<<", "k: <<\n")]
    [InlineData("colon-space", "a: b", "k: 'a: b'\n")]
    [InlineData("space-hash", "a #b", "k: 'a #b'\n")]
    [InlineData("tab", "a\tb", "k: \"a\\tb\"\n")]
    [InlineData("leading-break", "\nx\n", "k: |2\n\n  x\n")]
    [InlineData("keep-trailing-breaks", "x\n\n", "k: |+\n  x\n\n")]
    [InlineData("strip", "x\ny", "k: |-\n  x\n  y\n")]
    [InlineData("astral-escaped", "\U0001F600", "k: \"\\U0001F600\"\n")]
    [InlineData("lone-dash", "-", "k: '-'\n")]
    [InlineData("empty", "", "k: \"\"\n")]
    [InlineData("float-text", "1.5e3", "k: \"1.5e3\"\n")]
    [InlineData("hex-text", "0x1F", "k: \"0x1F\"\n")]
    [InlineData("underscore-number", "1_000", "k: \"1_000\"\n")]
    public void Write_StringScalar_MatchesKustomize(string name, string value, string expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, YamlWriter.Write(new JsonObject { ["k"] = value }));
    }

    [Theory]
    [InlineData("long", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore", "  long: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n    incididunt ut labore\n")]
    [InlineData("longq", "- Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore", "  longq: '- Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n    tempor incididunt ut labore'\n")]
    public void Write_LongString_FoldsAfterColumn80(string key, string value, string expected)
    {
        var written = YamlWriter.Write(new JsonObject { ["data"] = new JsonObject { [key] = value } });
        Assert.Equal("data:\n" + expected, written);
        Assert.Equal(value, (string?)YamlReader.ReadOne(written, "w.yaml")!["data"]![key]);
    }

    [Fact]
    public void Write_Keys_SortLikeYamlV2()
    {
        var obj = new JsonObject { ["item10"] = 1, ["item9"] = 2, ["AB"] = 3, ["A_B"] = 4, ["yes"] = 5 };
        Assert.Equal("A_B: 4\nAB: 3\nitem9: 2\nitem10: 1\n\"yes\": 5\n", YamlWriter.Write(obj));
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1000000.5, "1.0000005e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.25, "-2.25")]
    public void Write_Float_FormatsLikeGo(double value, string expected)
    {
        Assert.Equal($"k: {expected}\n", YamlWriter.Write(new JsonObject { ["k"] = value }));
    }
}
