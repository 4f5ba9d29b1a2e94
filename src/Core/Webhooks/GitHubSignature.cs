using System.Security.Cryptography;
using System.Text;

namespace Ferry.Core.Webhooks;

/// <summary>Checks GitHub's <c>X-Hub-Signature-256</c> header: HMAC-SHA256 of the raw body with the webhook secret.</summary>
public static class GitHubSignature
{
    private const string Prefix = "sha256=";
    private const int HashHexLength = HMACSHA256.HashSizeInBytes * 2;

    /// <summary>
    /// True when the header is <c>sha256=</c> followed by the body's HMAC in hex (either case), compared in constant time;
    /// false for a missing or malformed header, another algorithm, or an empty secret.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string? signatureHeader, string secret)
    {
        if (string.IsNullOrEmpty(secret) || signatureHeader is null)
        {
            return false;
        }

        var header = signatureHeader.AsSpan().Trim();
        if (!header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + HashHexLength)
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(header[Prefix.Length..], claimed, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != claimed.Length)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, claimed);
    }

    /// <summary>The header value GitHub would send for a body and secret (for tests and for signing test deliveries).</summary>
    public static string Compute(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}
