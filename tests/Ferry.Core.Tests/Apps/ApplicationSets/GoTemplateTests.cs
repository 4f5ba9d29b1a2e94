using System.Text.Json.Nodes;
using Ferry.Core.Apps.ApplicationSets;

namespace Ferry.Core.Tests.Apps.ApplicationSets;

public sealed class GoTemplateTests
{
    private const string Data = """
        {"name":"Web-App","path":{"path":"apps/web","basename":"web","segments":["apps","web"]},
         "cluster":{"name":"prod","replicas":3,"canary":true,"empty":""},"regions":["eu","us"],"labels":{"b":"2","a":"1"}}
        """;

    [Theory]
    [InlineData("field", "{{.path.basename}}", "web")]
    [InlineData("spaces and text", "app-{{ .name }}-x", "app-Web-App-x")]
    [InlineData("number", "{{.cluster.replicas}}", "3")]
    [InlineData("index list", "{{index .path.segments 1}}", "web")]
    [InlineData("index map", "{{index .cluster \"name\"}}", "prod")]
    [InlineData("lower pipe", "{{.name | lower}}", "web-app")]
    [InlineData("upper call", "{{upper .path.basename}}", "WEB")]
    [InlineData("default for missing", "{{.cluster.missing | default \"none\"}}", "none")]
    [InlineData("default for empty", "{{default \"none\" .cluster.empty}}", "none")]
    [InlineData("default keeps value", "{{default \"none\" .cluster.name}}", "prod")]
    [InlineData("replace", "{{replace \"/\" \"-\" .path.path}}", "apps-web")]
    [InlineData("trimPrefix", "{{trimPrefix \"apps/\" .path.path}}", "web")]
    [InlineData("trimSuffix", "{{.path.path | trimSuffix \"/web\"}}", "apps")]
    [InlineData("printf", "{{printf \"%s-%d\" .cluster.name .cluster.replicas}}", "prod-3")]
    [InlineData("if true", "{{if .cluster.canary}}canary{{else}}stable{{end}}", "canary")]
    [InlineData("if eq else if", "{{if eq .cluster.name \"dev\"}}d{{else if eq .cluster.name \"prod\"}}p{{else}}x{{end}}", "p")]
    [InlineData("if missing is false", "{{if .nothing}}y{{else}}n{{end}}", "n")]
    [InlineData("range list", "{{range .regions}}[{{.}}]{{end}}", "[eu][us]")]
    [InlineData("range with variables", "{{range $i, $r := .regions}}{{$i}}={{$r}};{{end}}", "0=eu;1=us;")]
    [InlineData("range map sorted, root via $", "{{range $k, $v := .labels}}{{$k}}{{$v}}{{$.cluster.name}} {{end}}", "a1prod b2prod ")]
    [InlineData("trim markers", "a {{- .cluster.name -}} b", "aprodb")]
    [InlineData("parenthesised", "{{lower (printf \"%s\" .name)}}", "web-app")]
    [InlineData("missing key prints no value", "{{.nothing}}", "<no value>")]
    [InlineData("not and or", "{{if and .cluster.canary (not .cluster.empty)}}ok{{end}}", "ok")]
    public void Render_Row_AsGo(string row, string template, string expected)
    {
        Assert.True(expected == GoTemplate.Parse(template).Render(JsonNode.Parse(Data), missingKeyError: false), row);
    }

    [Theory]
    [InlineData("{{.nothing}}", "map has no entry for key \"nothing\"")]
    [InlineData("{{.cluster.nope}}", "map has no entry for key \"nope\"")]
    public void Render_MissingKeyError_Throws(string template, string message)
    {
        var ex = Assert.Throws<FormatException>(() => GoTemplate.Parse(template).Render(JsonNode.Parse(Data), missingKeyError: true));

        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("{{.a", "unclosed action: {{ without }}")]
    [InlineData("{{if .a}}x", "unexpected end of template: {{if}} without {{end}}")]
    [InlineData("{{end}}", "unexpected {{end}}")]
    [InlineData("{{sha256sum .a}}", "function \"sha256sum\" not defined")]
    [InlineData("{{with .a}}x{{end}}", "{{with}} is not supported by Ferry")]
    public void Parse_Unsupported_ClearError(string template, string message)
    {
        var ex = Assert.ThrowsAny<FormatException>(() => GoTemplate.Parse(template).Render(JsonNode.Parse("{\"a\":1}"), missingKeyError: false));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
