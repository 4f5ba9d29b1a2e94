using System.Collections.Frozen;

namespace Ferry.Simulator.Api;

/// <summary>A parsed label selector (<c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>), as list calls accept.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<FrozenDictionary<string, string>, bool>> requirements = [];

    /// <summary>Parses a selector; throws a 400 ApiError when it is malformed.</summary>
    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var term in SplitTerms(text))
        {
            selector.requirements.Add(ParseTerm(term.Trim(), text));
        }

        return selector;
    }

    public bool Matches(FrozenDictionary<string, string> labels) => requirements.TrueForAll(r => r(labels));

    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    terms.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        terms.Add(text[start..]);
        return terms;
    }

    private static Func<FrozenDictionary<string, string>, bool> ParseTerm(string term, string whole)
    {
        if (term.Length == 0)
        {
            throw Invalid(whole);
        }

        if (term.StartsWith('!'))
        {
            var key = Key(term[1..].Trim(), whole);
            return labels => !labels.ContainsKey(key);
        }

        var words = term.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && (words[1].StartsWith("in ", StringComparison.Ordinal) || words[1].StartsWith("in(", StringComparison.Ordinal)
            || words[1].StartsWith("notin ", StringComparison.Ordinal) || words[1].StartsWith("notin(", StringComparison.Ordinal)))
        {
            var key = Key(words[0], whole);
            var notIn = words[1].StartsWith("notin", StringComparison.Ordinal);
            var rest = words[1][(notIn ? 5 : 2)..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw Invalid(whole);
            }

            var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries).ToFrozenSet(StringComparer.Ordinal);
            return notIn
                ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var index = term.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = Key(term[..index].Trim(), whole);
                var value = term[(index + op.Length)..].Trim();
                return op == "!="
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }

        var exists = Key(term, whole);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ','))
        {
            throw Invalid(whole);
        }

        return key;
    }

    private static ApiError Invalid(string text) => ApiError.BadRequest($"unable to parse requirement: found '{text}', expected: identifier");
}
