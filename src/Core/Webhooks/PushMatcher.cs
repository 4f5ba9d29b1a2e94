using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Core.Webhooks;

/// <summary>Decides whether a GitHub push concerns an app the way Argo CD's webhook handler does: repository, revision, then paths.</summary>
public static class PushMatcher
{
    /// <summary>The app annotation listing the paths (';'-separated) whose changes affect its manifests.</summary>
    public const string ManifestGeneratePathsAnnotation = "argocd.argoproj.io/manifest-generate-paths";

    private static readonly TimeSpan GlobTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Matches when the push's repository is the app's (any payload URL, after <see cref="WebhookRepoUrl.Normalize"/>),
    /// the pushed ref is the one the app follows (<c>HEAD</c> or empty: the default branch; a name: that branch or tag;
    /// <c>refs/…</c>: exactly that ref; a full commit SHA: never), and a changed file lies under one of the app's paths:
    /// <paramref name="manifestGeneratePaths"/>'s when the annotation is there (Argo's semantics: <c>;</c>-separated, relative to
    /// <paramref name="sourcePath"/>, <c>/x</c> from the repository root, globs allowed; present but empty, every change counts),
    /// else the app's own folder and <paramref name="sourceFiles"/> (files outside it the source reads, relative to it: Helm value
    /// files). A push whose changed files are unknown or may be incomplete (<see cref="GitHubPush.ChangedFilesComplete"/>) matches.
    /// </summary>
    public static PushMatch Match(GitHubPush push, string repoUrl, string? targetRevision, string? sourcePath, string? manifestGeneratePaths,
        IEnumerable<string>? sourceFiles = null)
    {
        ArgumentNullException.ThrowIfNull(push);
        ArgumentNullException.ThrowIfNull(repoUrl);

        var appRepo = WebhookRepoUrl.Normalize(repoUrl);
        if (!push.Repository.Urls.Any(u => WebhookRepoUrl.Normalize(u) == appRepo))
        {
            var pushed = push.Repository.Urls.Count > 0 ? WebhookRepoUrl.Normalize(push.Repository.Urls[0]) : "a repository without URLs";
            return PushMatch.NotMatched($"the push is for {pushed}, the app follows {appRepo}");
        }

        if (push.Deleted)
        {
            return PushMatch.NotMatched($"the push deleted {push.Ref}; there is nothing to deploy");
        }

        if (RevisionMismatch(push, targetRevision?.Trim() ?? string.Empty) is { } revisionReason)
        {
            return PushMatch.NotMatched(revisionReason);
        }

        if (push.ChangedFiles.Count == 0)
        {
            return PushMatch.Matched($"push to {push.Ref} lists no changed files, so it may touch the app's paths");
        }

        if (!push.ChangedFilesComplete)
        {
            return PushMatch.Matched($"push to {push.Ref} may list only some of its changed files (GitHub truncates large pushes), so it may touch the app's paths");
        }

        var annotated = manifestGeneratePaths is not null;
        var paths = annotated
            ? RefreshPaths(manifestGeneratePaths!, sourcePath ?? string.Empty)
            : RefreshPaths(string.Join(';', (sourceFiles ?? []).Prepend(".")), sourcePath ?? string.Empty);
        if (paths.Count == 0)
        {
            return PushMatch.Matched($"push to {push.Ref}; {ManifestGeneratePathsAnnotation} lists no paths, so every change counts");
        }

        foreach (var file in push.ChangedFiles)
        {
            var changed = Clean(file);
            foreach (var path in paths)
            {
                if (IsUnder(changed, path))
                {
                    return PushMatch.Matched($"{file} changed under {Display(path)}");
                }
            }
        }

        return PushMatch.NotMatched(
            $"none of the {push.ChangedFiles.Count} changed files is under {string.Join(";", paths.Select(Display))} ({(annotated ? ManifestGeneratePathsAnnotation : "the app's path")})");
    }

    private static string? RevisionMismatch(GitHubPush push, string target)
    {
        if (target.Length == 0 || target == "HEAD")
        {
            var branch = push.Repository.DefaultBranch;
            return branch is not null && push.Ref == "refs/heads/" + branch
                ? null
                : $"the app follows the default branch ({branch ?? "unknown"}), the push is to {push.Ref}";
        }

        if (IsCommitSha(target))
        {
            return $"the app is pinned to commit {target}; a push never moves it";
        }

        if (target.StartsWith("refs/", StringComparison.Ordinal))
        {
            return push.Ref == target ? null : $"the app follows {target}, the push is to {push.Ref}";
        }

        return push.Ref == "refs/heads/" + target || push.Ref == "refs/tags/" + target
            ? null
            : $"the app follows {target}, the push is to {push.Ref}";
    }

    /// <summary>A full SHA-1 or SHA-256 object name.</summary>
    private static bool IsCommitSha(string revision) =>
        revision.Length is 40 or 64 && revision.All(char.IsAsciiHexDigit);

    /// <summary>The annotation's paths resolved to repository-relative form ("" is the whole repository).</summary>
    private static List<string> RefreshPaths(string annotation, string sourcePath)
    {
        var paths = new List<string>();
        foreach (var raw in annotation.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var path = raw.StartsWith('/') ? Clean(raw) : Clean(sourcePath + "/" + raw);
            if (!paths.Contains(path, StringComparer.Ordinal))
            {
                paths.Add(path);
            }
        }

        return paths;
    }

    /// <summary>A path without leading/trailing slashes, <c>.</c> segments or <c>..</c> segments (which stop at the root).</summary>
    private static string Clean(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    /// <summary>True when the file is the path, lies below it, or it (or a folder above it) matches the path as a glob.</summary>
    private static bool IsUnder(string file, string path)
    {
        if (path.Length == 0 || file == path || file.StartsWith(path + "/", StringComparison.Ordinal))
        {
            return true;
        }

        if (path.AsSpan().IndexOfAny("*?[") < 0 || Glob(path) is not { } glob)
        {
            return false;
        }

        for (var end = file.Length; end > 0; end = file.LastIndexOf('/', end - 1))
        {
            if (glob.IsMatch(file[..end]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Translates a Go <c>filepath.Match</c> pattern (<c>*</c>, <c>?</c>, <c>[…]</c>, <c>\</c>) to a regex, or null if malformed.</summary>
    private static Regex? Glob(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '[':
                    var close = i + 2 < pattern.Length ? pattern.IndexOf(']', i + 2) : -1;
                    if (close < 0)
                    {
                        return null;
                    }

                    var body = pattern[(i + 1)..close];
                    var negate = body.StartsWith('^');
                    var members = (negate ? body[1..] : body).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal);
                    regex.Append(negate ? "[^/" : "[").Append(members).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant, GlobTimeout);
    }

    private static string Display(string path) => "/" + path;
}
