using LibGit2Sharp;

namespace Ferry.Core.Git;

/// <summary>
/// Git's <c>url.&lt;base&gt;.insteadOf</c>: a URL starting with an <c>insteadOf</c> prefix has that prefix replaced by the base,
/// the longest matching prefix winning. Rules come from the options first, then the user's global Git configuration
/// (<c>GIT_CONFIG_GLOBAL</c>, else <c>~/.gitconfig</c> and the XDG file) and the system one (<c>GIT_CONFIG_SYSTEM</c>, else
/// <c>/etc/gitconfig</c>, unless <c>GIT_CONFIG_NOSYSTEM</c>), read once — libgit2 applies none of them to an anonymous URL.
/// </summary>
internal sealed class GitUrlRewriter
{
    private readonly IReadOnlyList<(string Prefix, string Base)> rules;

    private GitUrlRewriter(IReadOnlyList<(string Prefix, string Base)> rules)
    {
        this.rules = rules;
    }

    /// <summary>The rules of the options and, when asked, of the user's and system's Git configuration.</summary>
    public static GitUrlRewriter Create(IReadOnlyList<KeyValuePair<string, string>> extraConfig, bool userConfig, Func<string, string?> environment)
    {
        var rules = new List<(string Prefix, string Base)>();
        foreach (var (key, value) in extraConfig)
        {
            Add(rules, key, value);
        }

        if (userConfig)
        {
            foreach (var file in ConfigFiles(environment).Where(File.Exists))
            {
                try
                {
                    using var config = Configuration.BuildFrom(file);
                    foreach (var entry in config.Find(@"^url\..*\.insteadof$", ConfigurationLevel.Local))
                    {
                        Add(rules, entry.Key, entry.Value);
                    }
                }
                catch (LibGit2SharpException)
                {
                    // An unreadable Git configuration file is Git's problem too; Ferry goes on without its rules.
                }
            }
        }

        return new GitUrlRewriter(rules);
    }

    /// <summary>The URL Git would contact for <paramref name="url"/>.</summary>
    public string Rewrite(string url)
    {
        (string Prefix, string Base)? best = null;
        foreach (var rule in rules)
        {
            if (url.StartsWith(rule.Prefix, StringComparison.Ordinal) && (best is null || rule.Prefix.Length > best.Value.Prefix.Length))
            {
                best = rule;
            }
        }

        return best is { } b ? b.Base + url[b.Prefix.Length..] : url;
    }

    private static void Add(List<(string Prefix, string Base)> rules, string key, string value)
    {
        const string section = "url.", name = ".insteadof";
        if (key.Length > section.Length + name.Length
            && key.StartsWith(section, StringComparison.OrdinalIgnoreCase)
            && key.EndsWith(name, StringComparison.OrdinalIgnoreCase)
            && value.Length > 0)
        {
            rules.Add((value, key[section.Length..^name.Length]));
        }
    }

    private static IEnumerable<string> ConfigFiles(Func<string, string?> environment)
    {
        var home = environment("HOME");
        if (environment("GIT_CONFIG_GLOBAL") is { Length: > 0 } global)
        {
            yield return global;
        }
        else
        {
            var xdg = environment("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : home is null ? null : Path.Combine(home, ".config");
            if (xdg is not null)
            {
                yield return Path.Combine(xdg, "git", "config");
            }

            if (home is not null)
            {
                yield return Path.Combine(home, ".gitconfig");
            }
        }

        if (environment("GIT_CONFIG_NOSYSTEM") is not { Length: > 0 })
        {
            yield return environment("GIT_CONFIG_SYSTEM") is { Length: > 0 } system ? system : "/etc/gitconfig";
        }
    }
}
