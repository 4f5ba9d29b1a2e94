using System.Text.Json.Nodes;

namespace Ferry.Core.Resources;

/// <summary>Identifies one Kubernetes object independent of version: group, kind, namespace and name.</summary>
public sealed record ResourceKey(string Group, string Kind, string Namespace, string Name) : IComparable<ResourceKey>
{
    /// <summary>Builds the key of an object from its apiVersion, kind and metadata.</summary>
    public static ResourceKey Of(JsonObject obj)
    {
        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var metadata = obj["metadata"] as JsonObject;
        return new ResourceKey(group, (string?)obj["kind"] ?? string.Empty, (string?)metadata?["namespace"] ?? string.Empty, (string?)metadata?["name"] ?? string.Empty);
    }

    /// <summary>The inventory form <c>&lt;ns&gt;_&lt;name&gt;_&lt;group&gt;_&lt;kind&gt;</c>, as Flux's inventory writes it.</summary>
    public string ToInventoryId() => $"{Namespace}_{Name}_{Group}_{Kind}";

    /// <summary>Parses the inventory form back into a key.</summary>
    public static ResourceKey FromInventoryId(string id)
    {
        var parts = id.Split('_');
        if (parts.Length != 4)
        {
            throw new FormatException($"'{id}' is not an inventory id (<namespace>_<name>_<group>_<kind>)");
        }

        return new ResourceKey(parts[2], parts[3], parts[0], parts[1]);
    }

    /// <summary>The tracking annotation value <c>app:group/kind:namespace/name</c> (Argo CD's format).</summary>
    public string ToTrackingId(string app) => $"{app}:{Group}/{Kind}:{Namespace}/{Name}";

    /// <inheritdoc/>
    public int CompareTo(ResourceKey? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(Group, other.Group);
        if (c == 0) c = string.CompareOrdinal(Kind, other.Kind);
        if (c == 0) c = string.CompareOrdinal(Namespace, other.Namespace);
        if (c == 0) c = string.CompareOrdinal(Name, other.Name);
        return c;
    }

    /// <summary>A short human form: <c>Kind/namespace/name</c> or <c>Kind/name</c>.</summary>
    public override string ToString() =>
        (Group.Length == 0 ? Kind : $"{Kind}.{Group}") + "/" + (Namespace.Length == 0 ? Name : $"{Namespace}/{Name}");
}
