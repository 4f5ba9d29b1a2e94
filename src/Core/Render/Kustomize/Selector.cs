using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ferry.Core.Render.Kustomize;

/// <summary>kustomize's resource selector: GVK, anchored name and namespace regexes, label and annotation selectors.</summary>
internal sealed class Selector
{
    private readonly Regex? group;
    private readonly Regex? version;
    private readonly Regex? kind;
    private readonly Regex? name;
    private readonly Regex? ns;
    private readonly string? labelSelector;
    private readonly string? annotationSelector;

    public Selector(JsonObject node)
    {
        group = Anchored((string?)node["group"]);
        version = Anchored((string?)node["version"]);
        kind = Anchored((string?)node["kind"]);
        name = Anchored((string?)node["name"]);
        ns = Anchored((string?)node["namespace"]);
        labelSelector = (string?)node["labelSelector"];
        annotationSelector = (string?)node["annotationSelector"];
    }

    private static Regex? Anchored(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? null : new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant);

    public List<KResource> Select(IEnumerable<KResource> resources) => [.. resources.Where(Matches)];

    public bool Matches(KResource r)
    {
        var cur = r.CurId;
        var org = r.OrgId;
        if (ns is not null && !ns.IsMatch(org.EffectiveNamespace) && !ns.IsMatch(cur.EffectiveNamespace))
        {
            return false;
        }

        if (name is not null && !name.IsMatch(org.Name) && !name.IsMatch(cur.Name))
        {
            return false;
        }

        var gvk = r.Gvk;
        return (group is null || group.IsMatch(gvk.Group))
            && (version is null || version.IsMatch(gvk.Version))
            && (kind is null || kind.IsMatch(gvk.Kind))
            && MatchesLabels(r.Labels, labelSelector)
            && MatchesLabels(r.Annotations, annotationSelector);
    }

    /// <summary>Evaluates a Kubernetes label selector string (=, ==, !=, in, notin, exists, !exists).</summary>
    public static bool MatchesLabels(JsonObject? labels, string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        var values = Transformers.StringMap(labels);
        foreach (var requirement in SplitRequirements(selector))
        {
            var req = requirement.Trim();
            if (req.Length == 0)
            {
                continue;
            }

            var setMatch = Regex.Match(req, @"^([^\s!=]+)\s+(in|notin)\s*\((.*)\)$");
            if (setMatch.Success)
            {
                var set = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet();
                var has = values.TryGetValue(setMatch.Groups[1].Value, out var v);
                var inSet = has && set.Contains(v!);
                if (setMatch.Groups[2].Value == "in" ? !inSet : inSet)
                {
                    return false;
                }

                continue;
            }

            if (req.StartsWith('!'))
            {
                if (values.ContainsKey(req[1..].Trim()))
                {
                    return false;
                }

                continue;
            }

            var ne = req.IndexOf("!=", StringComparison.Ordinal);
            if (ne >= 0)
            {
                if (values.TryGetValue(req[..ne].Trim(), out var actual) && actual == req[(ne + 2)..].Trim())
                {
                    return false;
                }

                continue;
            }

            var eq = req.IndexOf('=');
            if (eq >= 0)
            {
                var key = req[..eq].Trim();
                var expected = req[(eq + 1)..].TrimStart('=').Trim();
                if (!values.TryGetValue(key, out var actual) || actual != expected)
                {
                    return false;
                }

                continue;
            }

            if (!values.ContainsKey(req))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SplitRequirements(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(')
            {
                depth++;
            }
            else if (selector[i] == ')')
            {
                depth--;
            }
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }
}
