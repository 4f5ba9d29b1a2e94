using Ferry.Simulator.Defaulting;

namespace Ferry.Core.Tests.Simulator;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536", "1536")]
    [InlineData("1.5Ki", "1536")]
    [InlineData("0.1", "100m")]
    [InlineData("1000m", "1")]
    [InlineData("1500m", "1500m")]
    [InlineData("2000", "2k")]
    [InlineData("100m", "100m")]
    [InlineData("1e3", "1k")]
    [InlineData("0", "0")]
    public void Canonicalize_Quantity_MatchesServerForm(string input, string expected)
    {
        Assert.Equal(expected, Quantity.Canonicalize(input));
    }

    [Fact]
    public void Canonicalize_NotAQuantity_ReturnsNull()
    {
        Assert.Null(Quantity.Canonicalize("lots"));
    }
}
