using Ferry.Core.Charts;

namespace Ferry.Core.Tests.Charts;

public sealed class ChartVersionsTests
{
    private static readonly string[] Published = ["0.9.0", "1.0.0", "1.2.0", "1.2.3", "1.2.10", "1.3.0-rc.1", "1.3.0", "2.0.0", "2.1.0-beta.1"];

    [Theory]
    [InlineData("exact", "1.2.3", "1.2.3")]
    [InlineData("exact with v", "v1.2.3", "1.2.3")]
    [InlineData("exact missing", "1.2.4", null)]
    [InlineData("wildcard patch", "1.2.*", "1.2.10")]
    [InlineData("x patch", "1.2.x", "1.2.10")]
    [InlineData("space separated and", ">=1.0 <2", "1.3.0")]
    [InlineData("comma separated and (helm)", ">= 1.0, < 2.0.0", "1.3.0")]
    [InlineData("tilde", "~1.2", "1.2.10")]
    [InlineData("caret", "^1.2.3", "1.3.0")]
    [InlineData("hyphen range", "1.0.0 - 1.2.5", "1.2.3")]
    [InlineData("or", "0.9.* || 1.0.*", "1.0.0")]
    [InlineData("latest (HEAD)", "HEAD", "2.0.0")]
    [InlineData("latest (*)", "*", "2.0.0")]
    [InlineData("prerelease only when asked", ">=2.1.0-0", "2.1.0-beta.1")]
    [InlineData("no match", ">=3", null)]
    public void Select_Constraint_PicksTheHighestMatchingVersion(string name, string constraint, string? expected)
    {
        Assert.NotNull(name);
        Assert.Equal(expected, ChartVersions.Select(Published, constraint));
    }

    [Theory]
    [InlineData("1.2.3", true)]
    [InlineData("v1.2.3", true)]
    [InlineData("1.2.3-rc.1+build.5", true)]
    [InlineData("1.2", false)]
    [InlineData("1.2.*", false)]
    [InlineData(">=1.0 <2", false)]
    public void IsExact_Text_TellsAVersionFromAConstraint(string text, bool exact) =>
        Assert.Equal(exact, ChartVersions.IsExact(text));

    [Theory]
    [InlineData("main")]
    [InlineData("!=1.2.3")]
    [InlineData(">>1")]
    public void Validate_NotAVersionOrConstraint_ThrowsNamingIt(string text)
    {
        var ex = Assert.Throws<FormatException>(() => ChartVersions.Validate(text));
        Assert.Contains($"'{text}'", ex.Message, StringComparison.Ordinal);
    }
}
