using System.Security.Cryptography;
using System.Text;
using Ferry.Core.Storage;

namespace Ferry.Core.Tests.Storage;

public sealed class SharedKeySignerTests
{
    private const string Date = "Sun, 01 Jan 2023 00:00:00 GMT";

    private static StorageRequest Request(HttpMethod method, string uri) =>
        new StorageRequest(method, new Uri(uri)).WithHeader("x-ms-date", Date).WithHeader("x-ms-version", "2021-12-02");

    [Fact]
    public void BuildStringToSign_PutBlobWithConditions_PlacesStandardHeadersInOrder()
    {
        var request = new StorageRequest(HttpMethod.Put, new Uri("http://127.0.0.1:10000/devstoreaccount1/c/a%20b.json"))
        {
            Content = Encoding.UTF8.GetBytes("hello"),
            ContentType = "application/json",
        }
            .WithHeader("If-Match", "\"0x8D\"")
            .WithHeader("x-ms-version", "2021-12-02")
            .WithHeader("x-ms-date", Date)
            .WithHeader("x-ms-blob-type", "BlockBlob");

        var actual = SharedKeySigner.BuildStringToSign(request, "devstoreaccount1");

        var expected =
            "PUT\n" +
            "\n" +                  // Content-Encoding
            "\n" +                  // Content-Language
            "5\n" +                 // Content-Length
            "\n" +                  // Content-MD5
            "application/json\n" +  // Content-Type
            "\n" +                  // Date (x-ms-date is used instead)
            "\n" +                  // If-Modified-Since
            "\"0x8D\"\n" +          // If-Match
            "\n" +                  // If-None-Match
            "\n" +                  // If-Unmodified-Since
            "\n" +                  // Range
            "x-ms-blob-type:BlockBlob\n" +
            $"x-ms-date:{Date}\n" +
            "x-ms-version:2021-12-02\n" +
            "/devstoreaccount1/devstoreaccount1/c/a%20b.json";
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void BuildStringToSign_ZeroLengthBody_SignsEmptyContentLength()
    {
        var request = new StorageRequest(HttpMethod.Put, new Uri("https://acct.queue.core.windows.net/jobs")) { Content = [] }
            .WithHeader("x-ms-date", Date).WithHeader("x-ms-version", "2021-12-02");

        var actual = SharedKeySigner.BuildStringToSign(request, "acct");

        Assert.Equal($"PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{Date}\nx-ms-version:2021-12-02\n/acct/jobs", actual);
    }

    [Fact]
    public void BuildStringToSign_Query_SortsNamesDecodesValuesAndJoinsRepeats()
    {
        var request = Request(HttpMethod.Get, "https://acct.blob.core.windows.net/c?restype=container&comp=list&prefix=apps%2Fa%20b&marker=&B=2&b=1");

        var actual = SharedKeySigner.BuildStringToSign(request, "acct");

        Assert.EndsWith("/acct/c\nb:1,2\ncomp:list\nmarker:\nprefix:apps/a b\nrestype:container", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildStringToSign_MsHeaders_LowercasedSortedAndWhitespaceFolded()
    {
        var request = Request(HttpMethod.Put, "https://acct.blob.core.windows.net/c/b?comp=lease")
            .WithHeader("X-MS-Lease-Action", "acquire")
            .WithHeader("x-ms-lease-duration", "  15 ")
            .WithHeader("x-ms-client-request-id", "a   b")
            .WithHeader("Content-Language", "en");

        var actual = SharedKeySigner.BuildStringToSign(request, "acct");

        Assert.Equal(
            "PUT\n\nen\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-client-request-id:a b\n" +
            $"x-ms-date:{Date}\n" +
            "x-ms-lease-action:acquire\n" +
            "x-ms-lease-duration:15\n" +
            "x-ms-version:2021-12-02\n" +
            "/acct/c/b\ncomp:lease",
            actual);
    }

    [Fact]
    public void Authorize_SignsTheStringToSignWithTheDecodedKey()
    {
        var key = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
        var credential = new StorageSharedKeyCredential("acct", Convert.ToBase64String(key));
        var request = Request(HttpMethod.Get, "https://acct.queue.core.windows.net/jobs/messages?numofmessages=1");

        var header = SharedKeySigner.Authorize(request, credential);

        var expectedSignature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(SharedKeySigner.BuildStringToSign(request, "acct"))));
        Assert.Equal($"SharedKey acct:{expectedSignature}", header);
    }
}
