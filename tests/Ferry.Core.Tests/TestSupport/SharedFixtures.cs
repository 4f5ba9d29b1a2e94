namespace Ferry.Core.Tests.TestSupport;

/// <summary>Finds the read-only fixtures in <c>../shared/fixtures</c> beside the repository (never copied into it).</summary>
internal static class SharedFixtures
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The fixtures folder, or null when this checkout has no shared/ beside it.</summary>
    public static string? Directory => Root.Value;

    /// <summary>The fixtures folder; fails the test with a clear message when it is absent.</summary>
    public static string Require() =>
        Root.Value ?? throw new InvalidOperationException("../shared/fixtures is not beside this checkout; these tests read the recorded fixtures from there.");

    /// <summary>A path under the fixtures folder.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Require(), .. parts]);

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "fixtures"));
                return System.IO.Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
