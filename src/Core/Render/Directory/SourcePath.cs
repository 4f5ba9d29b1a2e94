namespace Ferry.Core.Render.Directory;

/// <summary>Resolves a source path inside a checkout and refuses any that leaves it (<c>..</c> or a symbolic link pointing outside).</summary>
internal static class SourcePath
{
    /// <summary>The real, absolute folder of <paramref name="relative"/> under <paramref name="root"/>; throws <see cref="RenderException"/> when it escapes or is missing.</summary>
    public static string ResolveDirectory(string root, string relative)
    {
        var realRoot = RealPath(Path.GetFullPath(root));
        var display = string.IsNullOrEmpty(relative) ? "." : relative;
        if (Path.IsPathRooted(display))
        {
            throw new RenderException(display, null, "the path must be relative to the repository root");
        }

        var combined = Path.GetFullPath(Path.Combine(realRoot, display));
        if (!IsInside(realRoot, combined))
        {
            throw new RenderException(display, null, "the path leaves the repository root");
        }

        if (!System.IO.Directory.Exists(combined))
        {
            throw new RenderException(display, null, File.Exists(combined) ? "the path is a file, not a directory" : "the path does not exist in the repository");
        }

        var real = RealPath(combined);
        if (!IsInside(realRoot, real))
        {
            throw new RenderException(display, null, "the path leads outside the repository root through a symbolic link");
        }

        return real;
    }

    /// <summary>True when a file's real location (symbolic links followed) is inside the root.</summary>
    public static bool IsFileInside(string realRoot, string file) => IsInside(realRoot, RealPath(file));

    /// <summary>The path with every symbolic link along it resolved.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = System.IO.Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target is null ? next : RealPath(target.FullName);
            }

            current = next;
        }

        return current;
    }

    /// <summary>The path relative to the root with forward slashes, as people and Argo show it.</summary>
    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static bool IsInside(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
