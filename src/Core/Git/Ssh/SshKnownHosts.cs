using System.Security.Cryptography;
using System.Text;

namespace Ferry.Core.Git.Ssh;

/// <summary>
/// The host keys Ferry trusts, in OpenSSH's known_hosts format (host patterns with <c>*</c>, <c>?</c> and <c>!</c>, <c>[host]:port</c>,
/// hashed <c>|1|salt|hash</c> names, <c>@revoked</c>), plus bare <c>SHA256:&lt;base64&gt;</c> fingerprint lines that trust that key on any host.
/// </summary>
internal sealed class SshKnownHosts
{
    private readonly List<Entry> _entries;
    private readonly HashSet<string> _fingerprints;

    private SshKnownHosts(List<Entry> entries, HashSet<string> fingerprints)
    {
        _entries = entries;
        _fingerprints = fingerprints;
    }

    /// <summary>Reads known_hosts text; lines it cannot read (and <c>@cert-authority</c> lines) are skipped, as OpenSSH skips them.</summary>
    public static SshKnownHosts Parse(string text)
    {
        var entries = new List<Entry>();
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("SHA256:", StringComparison.Ordinal))
            {
                fingerprints.Add(line["SHA256:".Length..].Split(' ', 2)[0].TrimEnd('='));
                continue;
            }

            var fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var revoked = false;
            if (fields[0].StartsWith('@'))
            {
                if (fields[0] != "@revoked")
                {
                    continue;
                }

                revoked = true;
                fields = fields[1..];
            }

            if (fields.Length < 3 || Fingerprint(fields[2]) is not { } fingerprint)
            {
                continue;
            }

            entries.Add(new Entry(fields[0], fingerprint, revoked));
        }

        return new SshKnownHosts(entries, fingerprints);
    }

    /// <summary>The user's and the system's known_hosts files, as OpenSSH reads them; empty when there are none.</summary>
    public static SshKnownHosts FromUserFiles()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var text = new StringBuilder();
        foreach (var file in new[] { Path.Combine(home, ".ssh", "known_hosts"), "/etc/ssh/ssh_known_hosts" })
        {
            if (File.Exists(file))
            {
                text.Append(File.ReadAllText(file)).Append('\n');
            }
        }

        return Parse(text.ToString());
    }

    /// <summary>Whether the key (its SHA-256 fingerprint, unpadded base64 as OpenSSH prints it) is trusted for the host; a revoked key never is.</summary>
    public bool Trusts(string knownHostsName, string sha256Fingerprint)
    {
        var fingerprint = sha256Fingerprint.TrimEnd('=');
        if (_entries.Any(e => e.Revoked && e.Fingerprint == fingerprint))
        {
            return false;
        }

        return _fingerprints.Contains(fingerprint)
            || _entries.Any(e => !e.Revoked && e.Fingerprint == fingerprint && Matches(e.Hosts, knownHostsName));
    }

    private static string? Fingerprint(string base64Key)
    {
        try
        {
            return Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(base64Key))).TrimEnd('=');
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Matches(string patterns, string host)
    {
        if (patterns.StartsWith("|1|", StringComparison.Ordinal))
        {
            var parts = patterns.Split('|');
            try
            {
                using var hmac = new HMACSHA1(Convert.FromBase64String(parts[2]));
                return parts.Length == 4 && CryptographicOperations.FixedTimeEquals(hmac.ComputeHash(Encoding.UTF8.GetBytes(host)), Convert.FromBase64String(parts[3]));
            }
            catch (FormatException)
            {
                return false;
            }
        }

        var matched = false;
        foreach (var pattern in patterns.Split(','))
        {
            var negated = pattern.StartsWith('!');
            if (Wildcard(negated ? pattern[1..] : pattern, host))
            {
                if (negated)
                {
                    return false;
                }

                matched = true;
            }
        }

        return matched;
    }

    private static bool Wildcard(string pattern, string text)
    {
        // Host names compare without case, as OpenSSH lowercases them.
        var p = 0;
        var t = 0;
        var star = -1;
        var mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private sealed record Entry(string Hosts, string Fingerprint, bool Revoked);
}
