using System.Runtime.CompilerServices;
using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Webhooks;

/// <summary>Reads this folder's testdata payloads (GitHub's documented delivery shapes, written for these tests).</summary>
internal static class WebhookTestData
{
    /// <summary>The raw bytes of a testdata file.</summary>
    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Directory(), file));

    /// <summary>A testdata push payload, parsed.</summary>
    public static GitHubPush Push(string file) =>
        Assert.IsType<GitHubPush>(GitHubEventParser.Parse("push", Bytes(file)));

    private static string Directory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "testdata");
}
