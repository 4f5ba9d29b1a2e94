using System.Text;
using System.Text.Json.Nodes;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Ferry.Core.Resources;
using Ferry.Core.Yaml;

namespace Ferry.Core.Diff;

/// <summary>Readable unified diffs of live vs target YAML for people, with Secret values masked as Argo CD masks them.</summary>
public static class DiffRenderer
{
    private const int Context = 3;

    /// <summary>A unified diff between live (null: absent) and target (null: to be deleted); empty when equal.</summary>
    public static string Unified(ResourceKey key, JsonObject? live, JsonObject? target)
    {
        var before = live is null ? null : ObjectDiffer.Comparable(live);
        var after = target is null ? null : ObjectDiffer.Comparable(target);
        if (key is { Group: "", Kind: "Secret" })
        {
            MaskSecrets(before, after);
        }

        var oldText = before is null ? string.Empty : YamlWriter.Write(before);
        var newText = after is null ? string.Empty : YamlWriter.Write(after);
        if (oldText == newText)
        {
            return string.Empty;
        }

        var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(oldText, newText, ignoreWhitespace: false);
        var lines = model.Lines.Where(l => !(l.Type == ChangeType.Unchanged && l.Text.Length == 0 && l.Position is null)).ToList();
        var builder = new StringBuilder();
        builder.Append("--- live/").Append(key).Append('\n');
        builder.Append("+++ git/").Append(key).Append('\n');
        var changed = lines.Select((l, i) => (l, i)).Where(p => p.l.Type != ChangeType.Unchanged).Select(p => p.i).ToList();
        var hunkStart = -1;
        var hunkEnd = -1;
        foreach (var index in changed)
        {
            if (hunkStart >= 0 && index - Context <= hunkEnd + Context)
            {
                hunkEnd = index;
                continue;
            }

            if (hunkStart >= 0)
            {
                AppendHunk(builder, lines, hunkStart, hunkEnd);
            }

            hunkStart = hunkEnd = index;
        }

        if (hunkStart >= 0)
        {
            AppendHunk(builder, lines, hunkStart, hunkEnd);
        }

        return builder.ToString();
    }

    private static void AppendHunk(StringBuilder builder, List<DiffPiece> lines, int start, int end)
    {
        var from = Math.Max(0, start - Context);
        var to = Math.Min(lines.Count - 1, end + Context);
        int oldLine = 1, newLine = 1;
        for (var i = 0; i < from; i++)
        {
            if (lines[i].Type != ChangeType.Inserted) oldLine++;
            if (lines[i].Type != ChangeType.Deleted) newLine++;
        }

        var oldCount = lines.Skip(from).Take(to - from + 1).Count(l => l.Type != ChangeType.Inserted);
        var newCount = lines.Skip(from).Take(to - from + 1).Count(l => l.Type != ChangeType.Deleted);
        builder.Append($"@@ -{oldLine},{oldCount} +{newLine},{newCount} @@\n");
        for (var i = from; i <= to; i++)
        {
            var prefix = lines[i].Type switch
            {
                ChangeType.Inserted => '+',
                ChangeType.Deleted => '-',
                _ => ' ',
            };
            builder.Append(prefix).Append(lines[i].Text).Append('\n');
        }
    }

    /// <summary>Replaces Secret values with runs of '+': equal values get equal masks, different values different ones, so a diff shows that a value changed without showing it.</summary>
    private static void MaskSecrets(JsonObject? before, JsonObject? after)
    {
        var masks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var obj in new[] { before, after })
        {
            foreach (var field in (string[])["data", "stringData"])
            {
                if (obj?[field] is not JsonObject values)
                {
                    continue;
                }

                foreach (var name in values.Select(p => p.Key).ToList())
                {
                    var value = values[name]?.ToJsonString() ?? "null";
                    if (!masks.TryGetValue(value, out var mask))
                    {
                        mask = new string('+', 8 + masks.Count);
                        masks[value] = mask;
                    }

                    values[name] = mask;
                }
            }

            if (obj?["metadata"]?["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
            }
        }
    }
}
