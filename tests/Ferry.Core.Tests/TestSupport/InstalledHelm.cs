namespace Ferry.Core.Tests.TestSupport;

/// <summary>The helm Ferry ships, as <c>.ci/install-helm</c> installs it for the tests (<c>.tools/helm/helm</c> in the repository).</summary>
internal static class InstalledHelm
{
    /// <summary>The installed helm; fails the test with what to run when it is missing.</summary>
    public static string Path => Find()
        ?? throw new InvalidOperationException(
            "helm is not installed for the tests: run .ci/install-helm from the repository root (it puts helm v4.1.4 at .tools/helm/helm)");

    /// <summary>The installed helm, or null.</summary>
    public static string? Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Ferry.slnx")))
            {
                var helm = System.IO.Path.Combine(folder.FullName, ".tools", "helm", "helm");
                return File.Exists(helm) ? helm : null;
            }
        }

        return null;
    }
}
