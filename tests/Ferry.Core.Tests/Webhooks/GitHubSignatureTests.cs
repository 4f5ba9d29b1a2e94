using System.Text;
using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Webhooks;

public class GitHubSignatureTests
{
    // GitHub's documented example ("Validating webhook deliveries").
    private const string VectorSecret = "It's a Secret to Everybody";
    private const string VectorPayload = "Hello, World!";
    private const string VectorHeader = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Verify_GitHubTestVector_True()
    {
        Assert.True(GitHubSignature.Verify(Encoding.UTF8.GetBytes(VectorPayload), VectorHeader, VectorSecret));
    }

    [Fact]
    public void Compute_GitHubTestVector_GitHubsHeader()
    {
        Assert.Equal(VectorHeader, GitHubSignature.Compute(Encoding.UTF8.GetBytes(VectorPayload), VectorSecret));
    }

    [Theory]
    [InlineData("body-one-byte-changed", "Hello, World?", VectorHeader, VectorSecret)]
    [InlineData("body-trailing-newline", "Hello, World!\n", VectorHeader, VectorSecret)]
    [InlineData("wrong-secret", VectorPayload, VectorHeader, "It's a secret to everybody")]
    [InlineData("missing-header", VectorPayload, null, VectorSecret)]
    [InlineData("empty-header", VectorPayload, "", VectorSecret)]
    [InlineData("sha1-header", VectorPayload, "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59", VectorSecret)]
    [InlineData("no-prefix", VectorPayload, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", VectorSecret)]
    [InlineData("uppercase-prefix", VectorPayload, "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", VectorSecret)]
    [InlineData("truncated-hex", VectorPayload, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1", VectorSecret)]
    [InlineData("extra-hex", VectorPayload, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1700", VectorSecret)]
    [InlineData("not-hex", VectorPayload, "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", VectorSecret)]
    [InlineData("one-hex-digit-flipped", VectorPayload, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18", VectorSecret)]
    [InlineData("empty-secret", VectorPayload, VectorHeader, "")]
    public void Verify_Tampered_False(string row, string body, string? header, string secret)
    {
        Assert.False(GitHubSignature.Verify(Encoding.UTF8.GetBytes(body), header, secret), row);
    }

    [Fact]
    public void Verify_UppercaseHex_TrueBecauseItIsTheSameMac()
    {
        var header = "sha256=" + VectorHeader["sha256=".Length..].ToUpperInvariant();

        Assert.True(GitHubSignature.Verify(Encoding.UTF8.GetBytes(VectorPayload), header, VectorSecret));
    }

    [Fact]
    public void Verify_RealisticPayloadSignedByCompute_TrueAndFalseOnceChanged()
    {
        var body = WebhookTestData.Bytes("push-main.json");
        var header = GitHubSignature.Compute(body, "s3cr3t");
        body[^2] ^= 0x01;

        Assert.True(GitHubSignature.Verify(WebhookTestData.Bytes("push-main.json"), header, "s3cr3t"));
        Assert.False(GitHubSignature.Verify(body, header, "s3cr3t"));
    }
}
