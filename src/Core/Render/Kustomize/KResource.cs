using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>One object in a build with the history kustomize keeps beside it (previous ids, prefixes, generator flags).</summary>
internal sealed class KResource(JsonObject obj, string source, int line)
{
    public JsonObject Obj { get; set; } = obj;

    public string Source { get; } = source;

    public int Line { get; } = line;

    public List<ResId> PrevIds { get; private set; } = [];

    public List<string> Prefixes { get; private set; } = [];

    public List<string> Suffixes { get; private set; } = [];

    /// <summary>Generator behaviour: create, merge or replace (null for plain resources).</summary>
    public string? Behavior { get; set; }

    /// <summary>True when the hash transformer should append a content hash to the name.</summary>
    public bool NeedsHash { get; set; }

    public List<string> RefVarNames { get; } = [];

    /// <summary>For plugin configurations: the file they were read from (null when inline).</summary>
    public string? ConfigFile { get; set; }

    private (string? ApiVersion, string? Kind, Gvk Gvk) gvkCache;

    public Gvk Gvk
    {
        get
        {
            var apiVersion = Obj["apiVersion"] is JsonValue a && a.TryGetValue<string>(out var av) ? av : null;
            var kind = Obj["kind"] is JsonValue k && k.TryGetValue<string>(out var kv) ? kv : null;
            if (gvkCache.Gvk is null || !ReferenceEquals(gvkCache.ApiVersion, apiVersion) || !ReferenceEquals(gvkCache.Kind, kind))
            {
                gvkCache = (apiVersion, kind, Gvk.FromApiVersion(apiVersion, kind));
            }

            return gvkCache.Gvk;
        }
    }

    public string Kind => (string?)Obj["kind"] ?? string.Empty;

    public string Name
    {
        get => (string?)Obj["metadata"]?["name"] ?? string.Empty;
        set => Metadata()["name"] = value;
    }

    public string Namespace
    {
        get => Obj["metadata"]?["namespace"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
        set => Metadata()["namespace"] = value;
    }

    public ResId CurId => new(Gvk, Name, Namespace);

    public ResId OrgId => PrevIds.Count > 0 ? PrevIds[0] : CurId;

    /// <summary>Ids this object answers to for name references (previous ones and, when never renamed, its current one).</summary>
    public IEnumerable<ResId> AllIds => PrevIds.Count > 0 ? PrevIds : [CurId];

    public JsonObject Metadata()
    {
        if (Obj["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            Obj["metadata"] = metadata;
        }

        return metadata;
    }

    public JsonObject? Labels => Obj["metadata"]?["labels"] as JsonObject;

    public JsonObject? Annotations => Obj["metadata"]?["annotations"] as JsonObject;

    public void StorePreviousId()
    {
        var id = CurId;
        PrevIds.Add(new ResId(Gvk, id.Name, id.EffectiveNamespace));
    }

    /// <summary>Takes over a previous generation's identity and history, as a generator's merge or replace does.</summary>
    public void CopyIdentityFrom(KResource old)
    {
        var labels = MergeMaps(old.Labels, Labels);
        var annotations = MergeMaps(old.Annotations, Annotations);
        SetMap("labels", labels);
        SetMap("annotations", annotations);
        Name = old.Name;
        if (old.Namespace.Length > 0)
        {
            Namespace = old.Namespace;
        }
        else
        {
            Metadata().Remove("namespace");
        }

        NeedsHash = NeedsHash && old.NeedsHash;
        PrevIds = [.. old.PrevIds];
        Prefixes = [.. old.Prefixes];
        Suffixes = [.. old.Suffixes];
    }

    public static JsonObject MergeMaps(JsonObject? first, JsonObject? second)
    {
        var result = new JsonObject();
        foreach (var map in new[] { first, second })
        {
            if (map is null)
            {
                continue;
            }

            foreach (var (key, value) in map)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    public void SetMap(string field, JsonObject map)
    {
        if (map.Count == 0)
        {
            Metadata().Remove(field);
        }
        else
        {
            Metadata()[field] = map;
        }
    }

    public KResource Clone()
    {
        var copy = new KResource((JsonObject)Obj.DeepClone(), Source, Line)
        {
            Behavior = Behavior,
            NeedsHash = NeedsHash,
            PrevIds = [.. PrevIds],
            Prefixes = [.. Prefixes],
            Suffixes = [.. Suffixes],
        };
        copy.RefVarNames.AddRange(RefVarNames);
        return copy;
    }

    /// <summary>kustomize's test that two objects' prefix and suffix histories end alike.</summary>
    public bool PrefixesSuffixesEqual(KResource other, bool allowEmpty)
    {
        if (allowEmpty)
        {
            var prefixOk = Prefixes.Count == 0 || other.Prefixes.Count == 0 || SameEnding(Prefixes, other.Prefixes);
            var suffixOk = Suffixes.Count == 0 || other.Suffixes.Count == 0 || SameEnding(Suffixes, other.Suffixes);
            return prefixOk && suffixOk;
        }

        return SameEnding(Prefixes, other.Prefixes) && SameEnding(Suffixes, other.Suffixes);
    }

    private static bool SameEnding(List<string> a, List<string> b)
    {
        var (shortest, longest) = a.Count <= b.Count ? (a, b) : (b, a);
        if (shortest.Count == 0)
        {
            return longest.Count == 0;
        }

        for (var i = 1; i <= shortest.Count; i++)
        {
            if (shortest[^i] != longest[^i])
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => CurId.ToString();
}
