using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Core.Git.Ssh;

/// <summary>Where an SSH repository lives: user, host, port and the path <c>git-upload-pack</c> is given, read as Git reads the URL.</summary>
internal sealed partial record SshEndpoint(string User, string Host, int Port, string Path)
{
    /// <summary>
    /// Reads <c>ssh://[user@]host[:port]/path</c> (also <c>git+ssh://</c>, <c>ssh+git://</c>; <c>/~user/…</c> stays relative to a home) and the
    /// scp-like <c>[user@]host:path</c>. Without a user, the local user name is used, as OpenSSH does.
    /// </summary>
    public static SshEndpoint Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ssh" or "git+ssh" or "ssh+git") || uri.Host.Length == 0)
            {
                throw new FormatException("not an ssh:// repository URL");
            }

            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            if (path.StartsWith("/~", StringComparison.Ordinal))
            {
                path = path[1..];
            }

            var user = uri.UserInfo.Length == 0 ? null : Uri.UnescapeDataString(uri.UserInfo.Split(':')[0]);
            return new SshEndpoint(user ?? Environment.UserName, uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? 22 : uri.Port, path);
        }

        var scp = ScpLike().Match(url);
        if (!scp.Success || scp.Groups["path"].Value.Length == 0)
        {
            throw new FormatException("not an SSH repository URL ([user@]host:path)");
        }

        var scpUser = scp.Groups["user"].Success ? scp.Groups["user"].Value : Environment.UserName;
        return new SshEndpoint(scpUser, scp.Groups["host"].Value.Trim('[', ']'), 22, scp.Groups["path"].Value);
    }

    /// <summary>The command run on the server, the path quoted for a POSIX shell as Git quotes it.</summary>
    public string UploadPackCommand()
    {
        var quoted = new StringBuilder("git-upload-pack '");
        foreach (var c in Path)
        {
            _ = c switch
            {
                '\'' => quoted.Append("'\\''"),
                '!' => quoted.Append("'\\!'"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('\'').ToString();
    }

    /// <summary>The host as known_hosts names it: <c>host</c> on port 22, else <c>[host]:port</c>.</summary>
    public string KnownHostsName => Port == 22 ? Host : $"[{Host}]:{Port}";

    [GeneratedRegex(@"^(?:(?<user>[^@/:]+)@)?(?<host>\[[^\]]+\]|[^/:]+):(?<path>.*)$")]
    private static partial Regex ScpLike();
}
