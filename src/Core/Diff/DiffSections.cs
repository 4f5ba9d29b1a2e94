using System.Text;
using Ferry.Core.Resources;

namespace Ferry.Core.Diff;

/// <summary>Reads one object's part out of an app's unified diff, whose sections start with <c>--- live/&lt;key&gt;</c> and <c>+++ git/…</c>.</summary>
public static class DiffSections
{
    /// <summary>The section of <paramref name="diff"/> for <paramref name="key"/>; empty when the diff has none.</summary>
    public static string Of(string? diff, ResourceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(diff))
        {
            return string.Empty;
        }

        var header = "--- live/" + key;
        var lines = diff.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var section = new StringBuilder();
        var inside = false;
        for (var i = 0; i < lines.Length; i++)
        {
            // A section header is the "--- live/" line followed by the "+++ git/" line; a removed content line cannot be both.
            var starts = lines[i].StartsWith("--- live/", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ git/", StringComparison.Ordinal);
            if (starts)
            {
                inside = string.Equals(lines[i], header, StringComparison.Ordinal);
            }

            if (inside && (lines[i].Length > 0 || i < lines.Length - 1))
            {
                section.Append(lines[i]).Append('\n');
            }
        }

        return section.ToString();
    }
}
