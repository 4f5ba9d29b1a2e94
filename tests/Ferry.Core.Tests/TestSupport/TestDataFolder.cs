using System.Runtime.CompilerServices;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>Finds the <c>testdata/</c> folder beside the calling test's source file.</summary>
internal static class TestDataFolder
{
    /// <summary>A path under the caller's <c>testdata/</c>.</summary>
    public static string Path(string relative, [CallerFilePath] string caller = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(caller)!, "testdata", relative);
}
