namespace Ferry.Core.Tests.TestSupport;

/// <summary>
/// Keeps the conformance summary in <c>TestResults/conformance.txt</c> at the repository root: test runners do not show
/// a passing test's output, so `.ci/run` prints this file after the test command.
/// </summary>
internal static class ConformanceReport
{
    private static readonly object Gate = new();

    /// <summary>Appends one line to the report.</summary>
    public static void Write(string line)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                var folder = Path.Combine(dir.FullName, "TestResults");
                Directory.CreateDirectory(folder);
                lock (Gate)
                {
                    File.AppendAllText(Path.Combine(folder, "conformance.txt"), line + "\n");
                }

                return;
            }
        }
    }
}
