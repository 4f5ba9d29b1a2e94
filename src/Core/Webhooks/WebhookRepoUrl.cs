namespace Ferry.Core.Webhooks;

/// <summary>Reduces the many spellings of one Git repository URL to a single comparable form, <c>host/owner/repo</c>.</summary>
public static class WebhookRepoUrl
{
    /// <summary>
    /// Normalises https, http, ssh, git and scp-like (<c>git@host:owner/repo</c>) URLs: drops the scheme, user info
    /// (so credentials never survive), port, an <c>ssh.</c>/<c>altssh.</c> host prefix (GitHub's SSH-over-443 hosts),
    /// query, trailing slashes and <c>.git</c>, and lower-cases everything, as Argo CD's case-insensitive webhook match does.
    /// A string that is not a URL (a local path) is only trimmed and lower-cased.
    /// </summary>
    public static string Normalize(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        string authority;
        string path;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var rest = text[(scheme + 3)..];
            var slash = rest.IndexOf('/');
            authority = slash < 0 ? rest : rest[..slash];
            path = slash < 0 ? string.Empty : rest[slash..];
            authority = StripPort(StripUser(authority));
        }
        else if (ScpColon(text) is var colon and > 0)
        {
            authority = StripUser(text[..colon]);
            path = text[(colon + 1)..];
        }
        else
        {
            return text.TrimEnd('/').ToLowerInvariant();
        }

        var end = path.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4].TrimEnd('/');
        }

        var host = authority.ToLowerInvariant();
        foreach (var prefix in (string[])["altssh.", "ssh."])
        {
            if (host.StartsWith(prefix, StringComparison.Ordinal))
            {
                host = host[prefix.Length..];
                break;
            }
        }

        return path.Length == 0 ? host : $"{host}/{path.ToLowerInvariant()}";
    }

    /// <summary>True when two URLs name the same repository after <see cref="Normalize"/>.</summary>
    public static bool AreSame(string left, string right) =>
        string.Equals(Normalize(left), Normalize(right), StringComparison.Ordinal);

    private static string StripUser(string authority)
    {
        var at = authority.LastIndexOf('@');
        return at < 0 ? authority : authority[(at + 1)..];
    }

    private static string StripPort(string authority)
    {
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            return close < 0 ? authority : authority[..(close + 1)];
        }

        var colon = authority.LastIndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    /// <summary>The colon of an scp-like address (<c>[user@]host:path</c>): before any slash, and not a Windows drive letter.</summary>
    private static int ScpColon(string text)
    {
        var colon = text.IndexOf(':');
        var slash = text.IndexOf('/');
        if (colon <= 0 || (slash >= 0 && slash < colon))
        {
            return -1;
        }

        return colon == 1 && char.IsAsciiLetter(text[0]) ? -1 : colon;
    }
}
