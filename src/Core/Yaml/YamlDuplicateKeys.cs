namespace Ferry.Core.Yaml;

/// <summary>What a reader does with a key repeated in one mapping.</summary>
public enum YamlDuplicateKeys
{
    /// <summary>The document is rejected (the default).</summary>
    Reject,

    /// <summary>The last value is kept, as Go's sigs.k8s.io/yaml decoding of a kustomization does.</summary>
    LastWins,

    /// <summary>The first value is kept, as kyaml's node lookups do for patches.</summary>
    FirstWins,
}
