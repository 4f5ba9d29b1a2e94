namespace Ferry.Core.Sync;

/// <summary>Argo CD <c>syncOptions</c> ("CreateNamespace=true", ...), parsed from the app or an object's annotation.</summary>
public sealed record SyncOptionSet
{
    /// <summary>Create the destination namespace when missing.</summary>
    public bool CreateNamespace { get; init; }

    /// <summary>Prune only after every other step is done and healthy.</summary>
    public bool PruneLast { get; init; }

    /// <summary>Apply only objects that are out of sync (Ferry always does; kept for parity).</summary>
    public bool ApplyOutOfSyncOnly { get; init; }

    /// <summary>Replace instead of apply.</summary>
    public bool Replace { get; init; }

    /// <summary>With Replace: delete and recreate when replacing fails.</summary>
    public bool Force { get; init; }

    /// <summary>False turns off server-side field validation.</summary>
    public bool Validate { get; init; } = true;

    /// <summary>foreground (default), background or orphan.</summary>
    public string PrunePropagationPolicy { get; init; } = "foreground";

    /// <summary>Keep ignored fields out of what is applied too.</summary>
    public bool RespectIgnoreDifferences { get; init; }

    /// <summary>Fail when an object is already tracked by another app.</summary>
    public bool FailOnSharedResource { get; init; }

    /// <summary>False on an object: never prune it.</summary>
    public bool Prune { get; init; } = true;

    /// <summary>False on an object: leave it when the app is deleted.</summary>
    public bool Delete { get; init; } = true;

    /// <summary>Skip the dry run for kinds whose CRD is not installed yet.</summary>
    public bool SkipDryRunOnMissingResource { get; init; }

    /// <summary>Options Ferry did not recognise, reported as warnings.</summary>
    public IReadOnlyList<string> Unknown { get; init; } = [];

    /// <summary>Parses option strings, each option overriding <paramref name="baseline"/>.</summary>
    public static SyncOptionSet Parse(IEnumerable<string> options, SyncOptionSet? baseline = null)
    {
        var set = baseline ?? new SyncOptionSet();
        var unknown = new List<string>(set.Unknown);
        foreach (var raw in options.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var eq = raw.IndexOf('=');
            var name = eq < 0 ? raw : raw[..eq];
            var value = eq < 0 ? "true" : raw[(eq + 1)..];
            var on = string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
            set = name switch
            {
                "CreateNamespace" => set with { CreateNamespace = on },
                "PruneLast" => set with { PruneLast = on },
                "ApplyOutOfSyncOnly" => set with { ApplyOutOfSyncOnly = on },
                "Replace" => set with { Replace = on },
                "Force" => set with { Force = on },
                "Validate" => set with { Validate = on },
                "PrunePropagationPolicy" => set with { PrunePropagationPolicy = value.ToLowerInvariant() },
                "RespectIgnoreDifferences" => set with { RespectIgnoreDifferences = on },
                "FailOnSharedResource" => set with { FailOnSharedResource = on },
                "Prune" => set with { Prune = on },
                "Delete" => set with { Delete = on },
                "SkipDryRunOnMissingResource" => set with { SkipDryRunOnMissingResource = on },
                "ServerSideApply" => set,
                _ => Unknowing(set, unknown, raw),
            };
        }

        return set with { Unknown = unknown };
    }

    private static SyncOptionSet Unknowing(SyncOptionSet set, List<string> unknown, string raw)
    {
        unknown.Add(raw);
        return set;
    }

    /// <summary>The Kubernetes propagation policy name for prune.</summary>
    public string PropagationPolicyName => PrunePropagationPolicy switch
    {
        "background" => "Background",
        "orphan" => "Orphan",
        _ => "Foreground",
    };
}
