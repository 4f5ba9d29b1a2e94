using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>After renames, points every reference (nameReference field specs) at the referenced object's final name and namespace.</summary>
internal static class NameReferences
{
    public static void Fix(List<KResource> resources, TransformerConfig config)
    {
        // Names and namespaces do not change while references are fixed, so ids are taken once.
        var ids = new Dictionary<KResource, (ResId Cur, Gvk OrgGvk)>(resources.Count, ReferenceEqualityComparer.Instance);
        foreach (var r in resources)
        {
            ids[r] = (r.CurId, r.OrgId.Gvk);
        }

        foreach (var (target, referrers) in config.NameReference)
        {
            // Only objects that were renamed (have previous ids) of the target's kind can need a reference updated.
            var renamed = resources.Where(r => r.PrevIds.Any(id => id.Gvk.IsSelectedBy(target))).ToList();
            if (renamed.Count == 0)
            {
                continue;
            }

            var candidateCache = new Dictionary<KResource, List<KResource>>(ReferenceEqualityComparer.Instance);
            var byNamespace = new Dictionary<string, List<KResource>>(StringComparer.Ordinal);
            List<KResource> Candidates(KResource referrer)
            {
                if (!candidateCache.TryGetValue(referrer, out var candidates))
                {
                    candidates = CouldBeReferencedBy(referrer, ids[referrer].Cur, renamed, ids, byNamespace);
                    candidateCache[referrer] = candidates;
                }

                return candidates;
            }

            foreach (var spec in referrers)
            {
                foreach (var referrer in resources)
                {
                    if (!ids[referrer].OrgGvk.IsSelectedBy(spec.Selector))
                    {
                        continue;
                    }

                    FieldWalker.Walk(referrer.Obj, spec, CreateKind.None, (parent, key) =>
                    {
                        switch (parent[key])
                        {
                            case JsonValue:
                                SetScalar(parent, key, referrer, target, spec, Candidates(referrer));
                                break;
                            case JsonObject map:
                                SetMapping(map, referrer, target, spec, Candidates(referrer));
                                break;
                            case JsonArray array:
                                for (var i = 0; i < array.Count; i++)
                                {
                                    if (array[i] is JsonObject element)
                                    {
                                        SetMapping(element, referrer, target, spec, Candidates(referrer));
                                    }
                                    else if (array[i] is JsonValue v && v.TryGetValue<string>(out var old))
                                    {
                                        var referral = Select(old, Candidates(referrer), referrer, target, spec, sameNamespace: false);
                                        if (referral is not null)
                                        {
                                            array[i] = referral.Name;
                                        }
                                    }
                                }

                                break;
                        }
                    }, checkGvk: false);
                }
            }
        }
    }

    private static void SetScalar(JsonObject parent, string key, KResource referrer, Gvk target, FieldSpec spec, List<KResource> candidates)
    {
        if (parent[key] is not JsonValue v || !v.TryGetValue<string>(out var old))
        {
            return;
        }

        var referral = Select(old, candidates, referrer, target, spec, sameNamespace: false);
        if (referral is not null && referral.Name != old)
        {
            parent[key] = referral.Name;
        }
    }

    private static void SetMapping(JsonObject node, KResource referrer, Gvk target, FieldSpec spec, List<KResource> candidates)
    {
        if (node["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var old))
        {
            return;
        }

        if (node["namespace"] is JsonValue nsValue && nsValue.TryGetValue<string>(out var ns))
        {
            var byOriginal = candidates.Where(c => c.OrgId.Namespace == ns || (c.PrevIds.Count == 0 && c.Namespace == ns)).ToList();
            candidates = byOriginal.Count > 0 ? byOriginal : [.. candidates.Where(c => c.Namespace == ns)];
        }

        var referral = Select(old, candidates, referrer, target, spec, sameNamespace: true);
        if (referral is null || (referral.Name == old && referral.Namespace.Length == 0))
        {
            return;
        }

        node["name"] = referral.Name;
        if (referral.Namespace.Length > 0)
        {
            node["namespace"] = referral.Namespace;
        }
    }

    private static KResource? Select(string oldName, List<KResource> candidates, KResource referrer, Gvk target, FieldSpec spec, bool sameNamespace)
    {
        IEnumerable<KResource> c = candidates.Where(r => r.PrevIds.Any(id => id.Name == oldName));
        c = c.Where(r => r.PrevIds.Any(id => id.Gvk.IsSelectedBy(target)));
        if (spec.Path.EndsWith("roleRef/name", StringComparison.Ordinal) && referrer.Obj["roleRef"] is JsonObject roleRef
            && roleRef["apiGroup"] is not null && roleRef["kind"] is not null)
        {
            var roleGvk = new Gvk((string?)roleRef["apiGroup"] ?? string.Empty, string.Empty, (string?)roleRef["kind"] ?? string.Empty);
            c = c.Where(r => r.PrevIds.Any(id => id.Gvk.IsSelectedBy(roleGvk)));
        }

        var referrerId = referrer.CurId;
        if (!referrerId.Gvk.IsClusterScoped)
        {
            c = c.Where(r => r.Gvk.IsClusterScoped || r.Kind == "ServiceAccount" || referrerId.IsNsEquals(r.CurId));
        }

        var list = c.ToList();
        if (list.Count == 1)
        {
            return list[0];
        }

        list = [.. list.Where(r => r.PrefixesSuffixesEqual(referrer, true))];
        if (list.Count > 1)
        {
            list = [.. list.Where(r => r.PrefixesSuffixesEqual(referrer, false))];
        }

        if (list.Count <= 1)
        {
            return list.FirstOrDefault();
        }

        var identical = list.All(r => r.Name == list[0].Name && (!sameNamespace || r.Namespace == list[0].Namespace));
        if (identical)
        {
            return list[0];
        }

        throw new RenderException(referrer.Source, null, $"found multiple possible referrals for {referrer.CurId}: {string.Join(", ", list.Select(r => r.CurId))}");
    }

    private static List<KResource> CouldBeReferencedBy(
        KResource referrer, ResId referrerId, List<KResource> renamed, Dictionary<KResource, (ResId Cur, Gvk OrgGvk)> ids, Dictionary<string, List<KResource>> byNamespace)
    {
        if (referrerId.Gvk.IsClusterScoped)
        {
            return renamed;
        }

        var bindingNamespaces = new HashSet<string>(StringComparer.Ordinal);
        if (referrer.Kind == "RoleBinding" && referrer.Obj["subjects"] is JsonArray subjects)
        {
            foreach (var subject in subjects.OfType<JsonObject>())
            {
                if ((string?)subject["kind"] == "ServiceAccount" && (string?)subject["namespace"] is { } ns)
                {
                    bindingNamespaces.Add(ns);
                }
            }
        }

        if (bindingNamespaces.Count > 0)
        {
            return [.. renamed.Where(r => ids[r].Cur.Gvk.IsClusterScoped || ids[r].Cur.IsNsEquals(referrerId) || bindingNamespaces.Contains(ids[r].Cur.Namespace))];
        }

        // Most referrers share a namespace: their candidate list is computed once.
        var effective = referrerId.EffectiveNamespace;
        if (!byNamespace.TryGetValue(effective, out var list))
        {
            list = [.. renamed.Where(r => ids[r].Cur.Gvk.IsClusterScoped || ids[r].Cur.EffectiveNamespace == effective)];
            byNamespace[effective] = list;
        }

        return list;
    }
}
