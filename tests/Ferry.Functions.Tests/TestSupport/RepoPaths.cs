namespace Ferry.Functions.Tests.TestSupport;

/// <summary>Paths in this checkout, found from the test's output folder.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.slnx not found above the test output folder");
    });

    /// <summary>The repository root (where Ferry.slnx is).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The functions project's build output for the configuration and framework the tests were built with.</summary>
    public static string FunctionsOutput
    {
        get
        {
            var testProject = Path.Combine(Root, "tests", "Ferry.Functions.Tests");
            var relative = Path.GetRelativePath(testProject, AppContext.BaseDirectory);
            return Path.Combine(Root, "functions", relative);
        }
    }

    /// <summary>A file under this test project's testdata folder (copied to the output).</summary>
    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    /// <summary>The repository's TestResults folder (ignored by Git), created on demand.</summary>
    public static string TestResults(string fileName)
    {
        var dir = Path.Combine(Root, "TestResults");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, fileName);
    }
}
