namespace Ferry.Core.Yaml;

/// <summary>How a reader resolves plain scalars beyond the rules both of Go's YAML libraries share (YAML 1.1 integers, true/false, null).</summary>
public enum YamlScalars
{
    /// <summary>As Kubernetes' sigs.k8s.io/yaml reads a manifest: timestamps stay text (the default).</summary>
    Kubernetes,

    /// <summary>As kustomize's yaml.v3 reading then JSON writing leaves them: a plain timestamp becomes RFC 3339 text, and a
    /// top-level <c>metadata.annotations</c> value keeps its source text, because kustomize rewrites annotations as strings.</summary>
    Kustomize,

    /// <summary>As <see cref="Kustomize"/>, for a patch: a null annotation value stays null, since it deletes the annotation.</summary>
    KustomizePatch,
}
