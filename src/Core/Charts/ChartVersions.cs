using System.Text.RegularExpressions;
using Semver;

namespace Ferry.Core.Charts;

/// <summary>
/// Chart versions the way Helm and Argo CD pick them: a valid semantic version is exact; anything else is a constraint
/// (<c>1.2.*</c>, <c>~1.2</c>, <c>^1</c>, <c>&gt;=1.0 &lt;2</c>, <c>&gt;= 1.0, &lt; 2</c>, <c>1.0 - 1.4</c>, <c>a || b</c>) resolved to the
/// highest version that satisfies it; <c>HEAD</c>, <c>*</c> or nothing means the latest. Pre-releases count only when asked for.
/// </summary>
public static partial class ChartVersions
{
    private const SemVersionStyles Lenient = SemVersionStyles.AllowV | SemVersionStyles.OptionalMinorPatch;

    /// <summary>Whether <paramref name="targetRevision"/> names one exact version (so no listing is needed).</summary>
    public static bool IsExact(string targetRevision) =>
        SemVersion.TryParse(targetRevision.Trim(), SemVersionStyles.AllowV, out _);

    /// <summary>The highest of <paramref name="versions"/> that satisfies <paramref name="targetRevision"/>; null when none does.</summary>
    /// <exception cref="FormatException">The constraint is not valid.</exception>
    public static string? Select(IEnumerable<string> versions, string targetRevision)
    {
        var text = targetRevision.Trim();
        if (IsExact(text))
        {
            var exact = SemVersion.Parse(text, SemVersionStyles.AllowV);
            return versions.FirstOrDefault(v => SemVersion.TryParse(v, Lenient, out var parsed) && parsed.ComparePrecedenceTo(exact) == 0);
        }

        var range = ParseRange(text);
        SemVersion? best = null;
        string? bestText = null;
        foreach (var version in versions)
        {
            if (SemVersion.TryParse(version, Lenient, out var parsed) && range.Contains(parsed) && (best is null || parsed.ComparePrecedenceTo(best) > 0))
            {
                best = parsed;
                bestText = version;
            }
        }

        return bestText;
    }

    /// <summary>Checks a constraint's syntax without any versions at hand.</summary>
    /// <exception cref="FormatException">The constraint is not valid.</exception>
    public static void Validate(string targetRevision)
    {
        if (!IsExact(targetRevision))
        {
            _ = ParseRange(targetRevision.Trim());
        }
    }

    private static SemVersionRange ParseRange(string text)
    {
        if (text.Length == 0 || text is "HEAD" or "*" or "latest")
        {
            return SemVersionRange.AllRelease;
        }

        if (text.Contains("!=", StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is not a supported chart version constraint: '!=' is not supported");
        }

        // Helm's constraints (Masterminds/semver) separate AND-ed comparators with commas and allow a space after an operator.
        var normalised = OperatorSpace().Replace(text.Replace(',', ' '), "$1");
        var includePrerelease = normalised.Contains('-') && !normalised.Contains(" - ", StringComparison.Ordinal);
        if (!SemVersionRange.TryParseNpm(normalised, includePrerelease, out var range))
        {
            throw new FormatException($"'{text}' is neither a chart version nor a version constraint (like 1.2.*, ~1.2, ^1.2.3 or >=1.0 <2)");
        }

        return range;
    }

    [GeneratedRegex(@"(>=|<=|>|<|=|~|\^)\s+")]
    private static partial Regex OperatorSpace();
}
