using System.Text.RegularExpressions;

namespace Ferry.Core.Git;

/// <summary>Repository URL helpers: one canonical form for matching and caching, and credential stripping for display.</summary>
public static partial class GitUrl
{
    /// <summary>
    /// Reduces https, ssh, git and scp-like (<c>git@host:org/repo</c>) URLs of one repository to one form,
    /// <c>host[:port]/org/repo</c>: lower case, no user, no default port, no trailing <c>.git</c> or slash.
    /// Local repositories (<c>file://</c> or an absolute path) become <c>file:///path</c>, case kept.
    /// </summary>
    public static string Normalize(string url)
    {
        var text = url.Trim();
        if (text.StartsWith('/'))
        {
            return "file://" + TrimSlashes(text, keepLeading: true);
        }

        var scp = ScpLike().Match(text);
        if (!text.Contains("://", StringComparison.Ordinal) && scp.Success)
        {
            return Canonical(scp.Groups["host"].Value, null, scp.Groups["path"].Value);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return StripGitSuffix(TrimSlashes(text, keepLeading: false)).ToLowerInvariant();
        }

        if (uri.IsFile)
        {
            return "file://" + TrimSlashes(Uri.UnescapeDataString(uri.AbsolutePath), keepLeading: true);
        }

        var defaultPort = uri.Scheme switch
        {
            "https" => 443,
            "http" => 80,
            "ssh" or "git+ssh" => 22,
            "git" => 9418,
            _ => -1,
        };
        var port = uri.IsDefaultPort || uri.Port == defaultPort || uri.Port < 0 ? null : (int?)uri.Port;
        return Canonical(uri.Host, port, Uri.UnescapeDataString(uri.AbsolutePath));
    }

    /// <summary>True when two URLs name the same repository.</summary>
    public static bool Same(string left, string right) => string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);

    /// <summary>The URL without a user name or password, safe to show in logs and errors.</summary>
    public static string WithoutCredentials(string url) => Split(url).Url;

    /// <summary>Separates credentials written into a URL (<c>https://user:token@host/…</c>) from the URL itself.</summary>
    public static (string Url, string? UserName, string? Password) Split(string url)
    {
        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0 || uri.IsFile)
        {
            return (text, null, null);
        }

        var info = uri.UserInfo;
        var colon = info.IndexOf(':');
        var user = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
        var password = colon < 0 ? null : Uri.UnescapeDataString(info[(colon + 1)..]);
        var builder = new UriBuilder(uri) { Password = string.Empty };
        // ssh URLs keep their user (git@…): it is a login name, not a secret.
        builder.UserName = uri.Scheme is "ssh" or "git+ssh" ? uri.UserInfo.Split(':')[0] : string.Empty;
        var clean = builder.Uri.GetComponents(UriComponents.AbsoluteUri, UriFormat.UriEscaped);
        return (clean, user, password);
    }

    private static string Canonical(string host, int? port, string path) =>
        host.ToLowerInvariant() + (port is null ? string.Empty : $":{port}") + "/" + StripGitSuffix(TrimSlashes(path, keepLeading: false)).ToLowerInvariant();

    private static string StripGitSuffix(string path) =>
        path.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? TrimSlashes(path[..^4], keepLeading: false) : path;

    private static string TrimSlashes(string path, bool keepLeading)
    {
        var trimmed = path.TrimEnd('/');
        return keepLeading ? "/" + trimmed.TrimStart('/') : trimmed.TrimStart('/');
    }

    [GeneratedRegex(@"^(?:[^@/:]+@)?(?<host>[^/:]+):(?<path>.+)$")]
    private static partial Regex ScpLike();
}
