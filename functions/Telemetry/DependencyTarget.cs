using System.Text.RegularExpressions;

namespace Ferry.Functions.Telemetry;

/// <summary>Turns repository and server URLs into what telemetry may carry: host and path, never user info, query or fragment.</summary>
internal static partial class DependencyTarget
{
    /// <summary>The host (and non-default port) of a URL, scp-like Git address or local path; "local" for files.</summary>
    public static string Host(string url)
    {
        var text = url.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Host.Length > 0)
        {
            // Authority is host[:port]; it never includes the user info.
            return uri.Authority;
        }

        var scp = ScpLike().Match(text);
        return scp.Success && !text.Contains("://", StringComparison.Ordinal) ? scp.Groups["host"].Value : "local";
    }

    /// <summary>The URL reduced to scheme, host and path (scp-like addresses to host:path; local paths as given).</summary>
    public static string Data(string url)
    {
        var text = url.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile && uri.Host.Length > 0)
        {
            return $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
        }

        var scp = ScpLike().Match(text);
        if (scp.Success && !text.Contains("://", StringComparison.Ordinal))
        {
            return $"{scp.Groups["host"].Value}:{StripQuery(scp.Groups["path"].Value)}";
        }

        return StripQuery(text);
    }

    private static string StripQuery(string text)
    {
        var cut = text.IndexOfAny(['?', '#']);
        return cut < 0 ? text : text[..cut];
    }

    [GeneratedRegex("^(?:[^@/]+@)?(?<host>[^:/]+):(?<path>.*)$")]
    private static partial Regex ScpLike();
}
