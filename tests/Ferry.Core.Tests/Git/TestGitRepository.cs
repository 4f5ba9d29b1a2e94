using System.Diagnostics;

namespace Ferry.Core.Tests.Git;

/// <summary>A real git repository in a temporary folder, served to the cache through a <c>file://</c> URL.</summary>
internal sealed class TestGitRepository : IDisposable
{
    private TestGitRepository(string root)
    {
        Root = root;
        WorkTree = Path.Combine(root, "origin");
        CacheRoot = Path.Combine(root, "cache");
    }

    /// <summary>The temporary folder holding everything the test creates.</summary>
    public string Root { get; }

    /// <summary>The repository's working tree (the "remote").</summary>
    public string WorkTree { get; }

    /// <summary>A folder for the cache under test.</summary>
    public string CacheRoot { get; }

    /// <summary>The repository's file:// URL.</summary>
    public string Url => new Uri(WorkTree).AbsoluteUri;

    /// <summary>Creates a repository on branch main with one commit.</summary>
    public static TestGitRepository Create(IReadOnlyDictionary<string, string>? files = null)
    {
        var repo = new TestGitRepository(Directory.CreateTempSubdirectory("ferry-git-").FullName);
        Directory.CreateDirectory(repo.WorkTree);
        repo.Git("init", "--quiet", "--initial-branch=main");
        repo.Git("config", "uploadpack.allowAnySHA1InWant", "true");
        repo.Git("config", "uploadpack.allowReachableSHA1InWant", "true");
        repo.Commit(files ?? new Dictionary<string, string> { ["README.md"] = "hello\n" }, "initial");
        return repo;
    }

    /// <summary>Writes files and commits them; returns the new commit's SHA.</summary>
    public string Commit(IReadOnlyDictionary<string, string> files, string message)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(WorkTree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Git("add", "--all");
        Git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "--allow-empty", "-m", message);
        return Head();
    }

    /// <summary>The SHA of HEAD.</summary>
    public string Head() => Git("rev-parse", "HEAD").Trim();

    /// <summary>Runs git in the working tree and returns its output; throws on failure.</summary>
    public string Git(params string[] arguments)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = WorkTree, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
        }

        return output;
    }

    public void Dispose()
    {
        foreach (var file in new DirectoryInfo(Root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (file.LinkTarget is null)
            {
                file.Attributes = FileAttributes.Normal;
            }
        }

        Directory.Delete(Root, recursive: true);
    }
}
