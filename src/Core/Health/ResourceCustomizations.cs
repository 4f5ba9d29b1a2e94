using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Ferry.Core.Health;

/// <summary>
/// Lua health scripts by group/kind, as Argo CD's <c>argocd-cm</c> holds them: keys <c>group/Kind</c> (<c>Kind</c> alone for the core
/// group), <c>*</c> allowed as a wildcard in either part. An exact key wins over wildcards; among wildcards the ordinally first matches.
/// </summary>
public sealed record ResourceCustomizations
{
    /// <summary>No customizations.</summary>
    public static ResourceCustomizations None { get; } = new();

    /// <summary>Health scripts by key (<c>cert-manager.io/Certificate</c>, <c>Service</c>, <c>*.crossplane.io/*</c>).</summary>
    public IReadOnlyDictionary<string, string> HealthScripts { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>Where these came from, for messages (a file name).</summary>
    public string? Source { get; init; }

    /// <summary>True when there is no script.</summary>
    public bool IsEmpty => HealthScripts.Count == 0;

    /// <summary>The key of an object's group and kind (<c>Kind</c> for the core group, else <c>group/Kind</c>), as Argo writes it.</summary>
    public static string KeyOf(string group, string kind) => group.Length == 0 ? kind : $"{group}/{kind}";

    /// <summary>These customizations with <paramref name="overrides"/>' scripts replacing any of the same key.</summary>
    public ResourceCustomizations Merge(ResourceCustomizations overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return overrides;
        }

        var merged = new Dictionary<string, string>(HealthScripts, StringComparer.Ordinal);
        foreach (var (key, script) in overrides.HealthScripts)
        {
            merged[key] = script;
        }

        return new ResourceCustomizations { HealthScripts = merged.ToFrozenDictionary(StringComparer.Ordinal), Source = overrides.Source ?? Source };
    }

    /// <summary>The health script for a group and kind and the key it was found under, or null.</summary>
    public (string Key, string Script)? FindHealthScript(string group, string kind)
    {
        var exact = KeyOf(group, kind);
        if (HealthScripts.TryGetValue(exact, out var script))
        {
            return (exact, script);
        }

        foreach (var key in HealthScripts.Keys.Where(k => k.Contains('*', StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (Glob(key).IsMatch(exact))
            {
                return (key, HealthScripts[key]);
            }
        }

        return null;
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
