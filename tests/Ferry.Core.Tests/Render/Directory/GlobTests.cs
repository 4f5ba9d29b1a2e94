using Ferry.Core.Render.Directory;

namespace Ferry.Core.Tests.Render.Directory;

public sealed class GlobTests
{
    [Theory]
    [InlineData("star crosses slash without separator", "*.yaml", "a/b/c.yaml", null, true)]
    [InlineData("star stops at separator", "*.yaml", "a/c.yaml", '/', false)]
    [InlineData("double star crosses separator", "**.yaml", "a/c.yaml", '/', true)]
    [InlineData("alternation", "{config.yaml,env-use2/*}", "env-use2/x.yaml", null, true)]
    [InlineData("alternation other branch", "{config.yaml,env-use2/*}", "config.yaml", null, true)]
    [InlineData("alternation miss", "{config.yaml,env-use2/*}", "other.yaml", null, false)]
    [InlineData("question mark", "v?.yaml", "v1.yaml", null, true)]
    [InlineData("class", "[ab].yaml", "b.yaml", null, true)]
    [InlineData("negated class", "[!ab].yaml", "b.yaml", null, false)]
    [InlineData("escape", @"a\*.yaml", "a*.yaml", null, true)]
    [InlineData("escape literal", @"a\*.yaml", "ab.yaml", null, false)]
    [InlineData("whole string only", "a.yaml", "xa.yaml", null, false)]
    [InlineData("dot is literal", "a.yaml", "aXyaml", null, false)]
    public void Match_Patterns_Expected(string name, string pattern, string text, char? separator, bool expected)
    {
        Assert.Equal(expected, Glob.Match(pattern, text, separator));
    }
}
