namespace Ferry.Core.Sync;

/// <summary>Argo CD's <c>syncPolicy.managedNamespaceMetadata</c>: labels and annotations for the namespace CreateNamespace=true manages.</summary>
public sealed record ManagedNamespaceMetadata
{
    /// <summary>Labels set on the namespace.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations set on the namespace.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Reads the <c>managedNamespaceMetadata</c> mapping of an Application's raw <c>spec.syncPolicy</c>; null when absent or empty.</summary>
    public static ManagedNamespaceMetadata? FromSyncPolicy(System.Text.Json.Nodes.JsonNode? syncPolicy)
    {
        if (syncPolicy?["managedNamespaceMetadata"] is not System.Text.Json.Nodes.JsonObject node)
        {
            return null;
        }

        var metadata = new ManagedNamespaceMetadata { Labels = Strings(node["labels"]), Annotations = Strings(node["annotations"]) };
        return metadata.Labels.Count == 0 && metadata.Annotations.Count == 0 ? null : metadata;
    }

    private static SortedDictionary<string, string> Strings(System.Text.Json.Nodes.JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (node is System.Text.Json.Nodes.JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                result[key] = value?.ToString() ?? string.Empty;
            }
        }

        return result;
    }
}
